import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The files that are mostly work for the CPU, and long: the checks (tsc, Biome, knip).
const CPU_BOUND = ['test/project/checks.test.ts'];

/**
 * Vitest's order (the longest files first, by the last run's times; on a first run, the largest
 * files first), with the CPU-bound files at the head: they are among the smallest, so a first run,
 * as on a clean clone, would start them last and wait for them alone, where at the head they run
 * while the other files wait for their servers and timers.
 */
class CpuBoundFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isCpuBound = (file: TestSpecification) => CPU_BOUND.some((path) => file.moduleId.endsWith(path));
    return [...sorted.filter(isCpuBound), ...sorted.filter((file) => !isCpuBound(file))];
  }
}

export default defineConfig({
  // GitHub's workflow parser ships source maps that point to sources it does not ship, and Vite
  // warns once per file; test failures and errors still print.
  logLevel: 'error',
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/temp-folder.ts'],
    // End-to-end tests start the bundled action as a process: seconds, not milliseconds.
    testTimeout: 30_000,
    // Most of an end-to-end test is waiting for a child process or a timer, so more files run at once
    // than there are cores (Vitest's default is one fewer than the cores: one, on a 2-core machine).
    maxWorkers: 4,
    sequence: { sequencer: CpuBoundFirst },
    server: {
      deps: {
        // The parser imports its JSON schemas without import attributes, which Node refuses;
        // transformed by Vite, it loads.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
