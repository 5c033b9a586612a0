import { defineConfig } from 'vitest/config';

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
    server: {
      deps: {
        // The parser imports its JSON schemas without import attributes, which Node refuses;
        // transformed by Vite, it loads.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
