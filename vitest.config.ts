import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const BUNDLE_CHECK = 'test/project/dist.test.ts';

/**
 * Vitest's order (the longest files first, by the last run's times; on a first run, the largest
 * files first), with the bundle check at the head: it is the longest file (ncc on one core, about
 * 15 s) and one of the smallest, so a first run, as on a clean clone, would start it last and wait
 * for it alone.
 */
class BundleCheckFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const isBundleCheck = (file: TestSpecification) => file.moduleId.endsWith(BUNDLE_CHECK);
    return [...sorted.filter(isBundleCheck), ...sorted.filter((file) => !isBundleCheck(file))];
  }
}

export default defineConfig({
  // GitHub's workflow parser ships source maps that point to sources it does not ship, and Vite
  // warns once per file; test failures and errors still print.
  logLevel: 'error',
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start the bundled action as a process: seconds, not milliseconds.
    testTimeout: 30_000,
    // Most of an end-to-end test is waiting for a child process or a timer, so more files run at once
    // than there are cores (Vitest's default is one fewer than the cores: one, on a 2-core machine).
    maxWorkers: 4,
    sequence: { sequencer: BundleCheckFirst },
    server: {
      deps: {
        // The parser imports its JSON schemas without import attributes, which Node refuses;
        // transformed by Vite, it loads.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
