import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start the bundled action as a process: seconds, not milliseconds.
    testTimeout: 30_000,
  },
});
