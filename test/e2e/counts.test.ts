// Where the counts a cancel reports come from, end to end against the emulator in its recorded mode:
// the live service answers a cancel that starts with a summary of all zeros, so the counts are the
// batch's own, read right after the cancel or already known to the step, never the answer's zeros.
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator, type EmulatorOptions } from '../../scripts/emulator/emulator.ts';
import { runAction } from '../../scripts/run-action.ts';
import { useEmulator } from '../support/emulator-fixture.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

function inputsFor(target: Emulator, more: Record<string, string>): Record<string, string> {
  return { endpoint: target.url, 'subscription-key': target.subscriptionKey, ...more };
}

function requestsFor(target: Emulator, id: string): string[] {
  return target.requests.filter((request) => request.path.endsWith(id)).map((request) => request.method);
}

/** A Running batch of 8 documents, 3 of them translated and charged for. */
function runningBatchOfEight(target: Emulator): string {
  return target.addBatch({ status: 'Running', documents: 8, succeeded: 3, charactersCharged: 48_213 });
}

async function emulatorOfItsOwn(options: EmulatorOptions): Promise<Emulator> {
  const target = new Emulator(options);
  await target.start();
  onTestFinished(() => target.stop());
  return target;
}

const COUNT_OUTPUTS = ['total', 'success', 'failed', 'in-progress', 'not-yet-started', 'cancelled'];

/** The outputs of a cancel of that batch, with its own counts. */
const CANCELLING_BATCH_OF_EIGHT = {
  status: 'Cancelling',
  outcome: 'cancel-requested',
  total: '8',
  success: '3',
  'total-character-charged': '48213',
};

describe('a plain cancel (wait: false)', () => {
  it("reports the batch's counts from a status read, not the zeros of the cancel's answer", async () => {
    const id = runningBatchOfEight(emulator);

    const run = await runAction(inputsFor(emulator, { 'job-id': id }));

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(requestsFor(emulator, id)).toEqual(['DELETE', 'GET']);
    expect(run.outputs).toMatchObject({ ...CANCELLING_BATCH_OF_EIGHT, 'in-progress': '5' });
    const [total, ...parts] = COUNT_OUTPUTS.map((name) => Number(run.outputs[name]));
    expect(parts.reduce((sum, count) => sum + (count ?? 0), 0)).toBe(total);
    const [result] = JSON.parse(run.outputs.results ?? '[]') as { summary: Record<string, number> }[];
    expect(result?.summary).toMatchObject({ total: 8, success: 3, totalCharacterCharged: 48_213 });
    expect(run.summary).toContain(
      `<tr><td><code>${id}</code></td><td>Cancelling → cancel requested</td><td align="right">8</td><td align="right">0</td><td align="right">48,213</td></tr>`,
    );
    expect(run.summary).toContain('48,213 characters charged so far');
    expect(run.log).toContain(
      `Cancel requested for batch ${id}: status Cancelling (3 documents translated, 0 cancelled, 48,213 characters charged)`,
    );
  });

  it('leaves the counts empty, says so and passes when the status read fails', async () => {
    const id = runningBatchOfEight(emulator);
    emulator.addFault({ batchId: id, method: 'GET', status: 503 });

    const run = await runAction(inputsFor(emulator, { 'job-id': id, 'max-retries': '0' }));

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      status: 'Cancelling',
      outcome: 'cancel-requested',
      'error-code': '',
    });
    for (const name of [...COUNT_OUTPUTS, 'total-character-charged']) expect(run.outputs[name]).toBe('');
    const [result] = JSON.parse(run.outputs.results ?? '[]') as { summary: unknown }[];
    expect(result?.summary).toBeNull();
    expect(run.log).toContain(
      `Cancel requested for batch ${id}: status Cancelling; its counts could not be read (ServiceUnavailable (HTTP 503`,
    );
    expect(run.summary).toContain(
      `The counts of batch <code>${id}</code> could not be read after the cancel`,
    );
    expect(run.summary).toContain('<td align="right">—</td><td align="right">—</td><td align="right">—</td>');
  });

  it('keeps the status Cancelling when the read is a cached answer from before the cancel, and takes its counts', async () => {
    const cached = await emulatorOfItsOwn({ cancelDelayMs: 60_000, staleCacheMs: 60_000 });
    const id = runningBatchOfEight(cached);

    const run = await runAction(inputsFor(cached, { 'job-id': id }));

    expect(run.exitCode).toBe(0);
    expect(requestsFor(cached, id)).toEqual(['DELETE', 'GET']);
    expect(run.outputs).toMatchObject(CANCELLING_BATCH_OF_EIGHT);
  });

  it("says the step's timeout ran out before the read when it did, and still passes", async () => {
    const id = runningBatchOfEight(emulator);
    emulator.addFault({ batchId: id, method: 'GET', hang: true });

    const run = await runAction(inputsFor(emulator, { 'job-id': id, timeout: '2' }));

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'Cancelling', outcome: 'cancel-requested', total: '' });
    expect(run.log).toContain(
      "its counts could not be read (NetworkError: the step's timeout (2 s) ran out before the batch's status could be read.), so they are left empty",
    );
  });

  it('uses the counts of a batch that had already finished from the answer itself, with no read', async () => {
    const id = emulator.addBatch({ status: 'Succeeded', documents: 2, succeeded: 2, charactersCharged: 700 });

    const run = await runAction(inputsFor(emulator, { 'job-id': id }));

    expect(requestsFor(emulator, id)).toEqual(['DELETE']);
    expect(run.outputs).toMatchObject({
      outcome: 'already-finished',
      total: '2',
      'total-character-charged': '700',
    });
  });
});

describe('counts the step already holds', () => {
  it('stale-after: 1,000 batches are cancelled with the counts of the list, and no status read', async () => {
    const target = await emulatorOfItsOwn({ cancelDelayMs: 3_600_000 });
    const threeHoursAgo = Date.now() - 3 * 3_600_000;
    for (let i = 0; i < 1_000; i++) {
      target.addBatch({
        status: 'Running',
        createdDateTimeUtc: new Date(threeHoursAgo - i * 1000).toISOString(),
        documents: 4,
        succeeded: 1,
        charactersCharged: 10,
      });
    }

    const run = await runAction(
      inputsFor(target, { 'stale-after': '1h', 'max-jobs': '1000', summary: 'false' }),
    );

    expect(run.exitCode).toBe(0);
    const methods = target.requests.map((request) => `${request.method} ${request.path.split('/').length}`);
    expect(methods.filter((method) => method.startsWith('DELETE'))).toHaveLength(1_000);
    // Only the list's pages were read: a status read has the batch's id in its path.
    expect(methods.filter((method) => method === 'GET 5')).toHaveLength(0);
    expect(run.outputs).toMatchObject({
      total: '4000',
      success: '1000',
      'total-character-charged': '10000',
    });
  });

  it("guard's post step: the counts of the status it checked first, and no second read", async () => {
    const id = runningBatchOfEight(emulator);

    const run = await runAction(inputsFor(emulator, { 'job-id': id, guard: 'true' }), {
      state: { isPost: 'true', guardedJobs: JSON.stringify([id]) },
    });

    expect(run.exitCode).toBe(0);
    expect(requestsFor(emulator, id)).toEqual(['GET', 'DELETE']);
    // A post step's outputs reach no later step: its job summary carries the counts.
    expect(run.summary).toContain(
      `<td><code>${id}</code></td><td>Cancelling → cancel requested</td><td align="right">8</td><td align="right">0</td><td align="right">48,213</td>`,
    );
  });
});

describe('wait: true', () => {
  const quick = useEmulator({ cancelDelayMs: 1_000 });

  it('reports the final counts, and the job summary does not call them so far', async () => {
    const id = runningBatchOfEight(quick);

    const run = await runAction(inputsFor(quick, { 'job-id': id, wait: 'true' }));

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Cancelled', total: '8', success: '3', cancelled: '5' });
    expect(run.summary).toContain('Cancel requested for 1 batch — 48,213 characters charged</b>');
    expect(run.summary).not.toContain('so far');
    expect(run.summary).not.toContain('may still finish');
  });
});

describe('an answer whose status is readable but whose counts are not', () => {
  it('is a cancel requested with those counts empty, and one warning naming the fields', async () => {
    const id = runningBatchOfEight(emulator);
    // Raw text, so that 1e400 reaches the action as the service would write it.
    const body = `{"id":"${id}","status":"Cancelling","summary":{"total":"eight","failed":0,"success":1.5,"inProgress":-1,"notYetStarted":0,"cancelled":0,"totalCharacterCharged":1e400}}`;
    emulator.addFault({ batchId: id, status: 200, body, times: 2 });

    const run = await runAction(inputsFor(emulator, { 'job-id': id }));

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({
      status: 'Cancelling',
      outcome: 'cancel-requested',
      'error-code': '',
      total: '',
      success: '',
      'in-progress': '',
      'total-character-charged': '',
      failed: '0',
    });
    expect(run.warnings).toEqual([
      `The service sent summary.total, summary.success, summary.inProgress, summary.totalCharacterCharged for batch ${id} in a form this action cannot use (not a whole number of 0 or more): left empty in the outputs and the job summary.`,
    ]);
  });

  it('keeps the UnexpectedResponse path for a body that is no status at all', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, status: 200, body: '{"summary":{"total":1}}', times: 2 });

    const run = await runAction(inputsFor(emulator, { 'job-id': id, 'max-retries': '0' }));

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ outcome: 'error', 'error-code': 'UnexpectedResponse' });
  });
});
