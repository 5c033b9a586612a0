// The action, run in process, against the clock: the step timeout, and waiting through the stale
// status cache (wait: true). Apart from the retries (reliability.test.ts), so that the two files'
// waits run side by side.
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../scripts/emulator/emulator.ts';
import { deletesOf, inputsFor, useEmulator } from '../support/emulator-fixture.ts';
import { runInProcess } from '../support/run-in-process.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

describe('the step timeout', () => {
  it('ends a request to a server that never answers, in seconds, saying the timeout ran out', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', hang: true, times: 5 });
    const started = Date.now();

    const run = await runInProcess(inputsFor(emulator, id, { timeout: '3' }));

    expect(Date.now() - started).toBeLessThan(8_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('NetworkError');
    expect(run.errors[0]).toContain("the step's timeout (3 s) ran out after 1 attempt");
    // The step's time counts from its start: the request gets what loading the modes left of it.
    expect(run.errors[0]).toMatch(/no answer within (2\.\d|3\.0) s/);
  });

  it('stops retrying when the next wait would not fit, and names the last answer', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 503,
      times: 5,
      headers: { 'retry-after': '2' },
    });

    const run = await runInProcess(inputsFor(emulator, id, { timeout: '3' }));

    expect(run.exitCode).toBe(1);
    expect(deletesOf(emulator, id)).toHaveLength(2);
    expect(run.errors[0]).toMatch(
      /ServiceUnavailable \(HTTP 503, request id [0-9a-f-]{36}, after 2 attempts\): /,
    );
    expect(run.errors[0]).toContain("The step's timeout (3 s) would run out before another retry.");
  });
});

describe('wait: true', () => {
  const slow = useEmulator({ cancelDelayMs: 1_500, staleCacheMs: 2_000 } satisfies EmulatorOptions);

  it('polls through the stale cached status to Cancelled, reporting the final counts and never going backwards', async () => {
    const id = slow.addBatch({ status: 'Running', documents: 6, succeeded: 2, charactersCharged: 900 });

    const run = await runInProcess(inputsFor(slow, id, { wait: 'true' }));

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({
      outcome: 'cancel-requested',
      status: 'Cancelled',
      cancelled: '4',
      success: '2',
      'in-progress': '0',
      'total-character-charged': '900',
    });
    expect(run.log).toContain('Running, older than the cancel, so still Cancelling');
    expect(run.log).toContain(
      `Cancel requested for batch ${id}: status Cancelled (2 documents translated, 4 cancelled, 900 characters charged)`,
    );
  });

  it('warns when the time runs out first, with the last status known in the outputs', async () => {
    const id = emulator.addBatch({ documents: 2 });

    const run = await runInProcess(inputsFor(emulator, id, { wait: 'true', timeout: '3' }));

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain("status Cancelling when the step's timeout (3 s) ran out");
    expect(run.warnings[0]).toContain('error-policy key: Timeout');
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling', total: '2' });
  });

  it('fails instead when the policy says Timeout: fail', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess(
      inputsFor(emulator, id, { wait: 'true', timeout: '2', 'error-policy': 'Timeout: fail' }),
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('error-policy key: Timeout');
  });

  it('is refused when it is not a boolean', async () => {
    const run = await runInProcess(inputsFor(emulator, emulator.addBatch(), { wait: 'yes' }));

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual(['wait must be true or false.']);
  });
});
