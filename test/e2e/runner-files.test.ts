// The runner's files when they fail, end to end through the bundle: an unwritable job summary is one
// warning, and the step's result stands; an unwritable GITHUB_OUTPUT or GITHUB_STATE is one error line
// that names the variable, and no cancel is sent twice. Without GITHUB_OUTPUT (a run outside a
// runner), the outputs are said in the log.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';

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

describe('no GITHUB_OUTPUT, as outside a runner', () => {
  it('says the outputs in the log, as @actions/core does, for @github/local-action to show', async () => {
    const id = emulator.addBatch();

    const run = await runAction({ 'job-id': id, ...credentials() }, { env: { GITHUB_OUTPUT: '' } });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(`::set-output name=job-id::${id}`);
    expect(run.log).toContain('::set-output name=status::Cancelling');
  });
});

describe('an unwritable GITHUB_OUTPUT or GITHUB_STATE', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'runner-file-'));

  it.each([
    ['a folder', () => folder(), 'EISDIR'],
    ['a file in a missing folder', () => join(folder(), 'missing', 'output'), 'no such file'],
  ])(
    'GITHUB_OUTPUT naming %s: the cancel is sent once, then one error that names the variable',
    async (_, path, says) => {
      const id = emulator.addBatch();

      const run = await runAction({ 'job-id': id, ...credentials() }, { env: { GITHUB_OUTPUT: path() } });

      expectOneLineFailure(run, `Could not write the step's outputs to GITHUB_OUTPUT (${says})`);
      expect(deletesOf(emulator, id)).toHaveLength(1);
      expect(run.log).toContain(`Cancel requested for batch ${id}`);
    },
  );

  it('GITHUB_STATE naming a folder: nothing is sent, since the post step would send it again', async () => {
    const id = emulator.addBatch();

    const run = await runAction({ 'job-id': id, ...credentials() }, { env: { GITHUB_STATE: folder() } });

    expectOneLineFailure(run, "Could not write the runner's state file, GITHUB_STATE (EISDIR)");
    expect(run.errors[0]).toContain('so the step sent nothing');
    expect(deletesOf(emulator, id)).toEqual([]);
  });

  it('guard mode with GITHUB_STATE in a missing folder: the step fails and says the post step could not guard', async () => {
    const id = emulator.addBatch();

    const run = await runAction(
      { 'job-id': id, ...credentials(), guard: 'true' },
      { env: { GITHUB_STATE: join(folder(), 'missing', 'state') } },
    );

    expectOneLineFailure(run, "Could not write the runner's state file, GITHUB_STATE (no such file)");
    expect(run.errors[0]).toContain('guard mode could not guard');
    expect(deletesOf(emulator, id)).toEqual([]);
  });
});

describe('an error nothing else catches', () => {
  it('ends in one error line that asks for a report where the action lives, with no stack trace', async () => {
    const run = await runAction(credentials(), {
      state: { isPost: 'true', guardedJobs: '["cut off' },
      env: { GITHUB_ACTION_REPOSITORY: 'octo/cancel-document-translation' },
    });

    expectOneLineFailure(run, 'Unexpected error: ');
    expect(run.errors[0]).toContain(
      'This is a bug in the action: please report it at https://github.com/octo/cancel-document-translation/issues, with this line.',
    );
  });
});
