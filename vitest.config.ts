import { defineConfig } from 'vitest/config';

export default defineConfig({
  // GitHub's workflow parser ships source maps that point to sources it does not ship, and Vite
  // warns once per file; test failures and errors still print.
  logLevel: 'error',
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start the bundled action as a process: seconds, not milliseconds.
    testTimeout: 30_000,
    server: {
      deps: {
        // The parser imports its JSON schemas without import attributes, which Node refuses;
        // transformed by Vite, it loads.
        inline: ['@actions/workflow-parser'],
      },
    },
  },
});
