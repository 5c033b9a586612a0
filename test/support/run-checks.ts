// What every failing run must show, whatever failed: one error annotation that says what to fix, on
// one line, and no stack trace or line of the bundle anywhere in the log.
import { expect } from 'vitest';
import type { ActionRun } from '../../scripts/run-action.ts';

/** No stack trace, and no line as long as a line of the minified bundle. */
export function expectCleanLog(run: ActionRun): void {
  expect(run.log).not.toMatch(/^\s+at /m);
  expect(Math.max(...run.log.split('\n').map((line) => line.length))).toBeLessThan(4_000);
}

export function expectOneLineFailure(run: ActionRun, mentions: string): void {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain(mentions);
  expect(run.errors[0]).not.toContain('%0A');
  expectCleanLog(run);
}
