// The runner's files when they fail, end to end through the bundle: an unwritable job summary is one
// warning, and the step's result stands. A process of its own, since @actions/core keeps the path of
// the job summary it first wrote.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { useEmulator } from '../support/emulator-fixture.ts';

const KEY = 'hardening-key-5f4e3d2c1b0a';
const emulator = useEmulator({ subscriptionKey: KEY, cancelDelayMs: 500 });

function credentials(): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': KEY };
}

describe('an unwritable job summary', () => {
  it('is one warning: the cancel stands, the outputs are written, and no stack trace is printed', async () => {
    const id = emulator.addBatch();

    const run = await runAction(
      { 'job-id': id, ...credentials() },
      { env: { GITHUB_STEP_SUMMARY: '/nonexistent-folder/summary.md' } },
    );

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([
      'Could not write the job summary to GITHUB_STEP_SUMMARY: the outputs and the log hold the results.',
    ]);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
    expect(run.log).not.toMatch(/^\s+at /m);
  });
});
