// The modes in process, against the emulator (the Emulator class, on loopback): cancel, counts,
// retries, the stale search, verdicts and outputs, with no bundle and no process to start, so that a
// change to the core logic is tested in a second. The end-to-end tests run the same through dist/.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import type { BatchResult } from '../../src/common/batch.ts';
import { info } from '../../src/github/runner-start.ts';
import { work } from '../../src/main.ts';
import { outputsFor } from '../../src/report/outputs.ts';
import { judge } from '../../src/report/verdict.ts';
import type { Verdict } from '../../src/report/wording.ts';
import { requestLimits } from '../../src/service/retry.ts';
import { parseSettings } from '../../src/settings/inputs.ts';
import { deletesOf } from '../support/emulator-fixture.ts';
import { rawInputs } from '../support/raw-inputs.ts';

const emulator = new Emulator({ cancelDelayMs: 60_000 });
beforeAll(() => emulator.start());
afterAll(() => emulator.stop());

// The runner's log is @actions/core writing to stdout: kept out of the test output.
beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockReturnValue(true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The step the inputs `given` make; its run() does the mode's work as main.ts does, and judges it. */
function stepFor(given: Record<string, string>) {
  const settings = parseSettings(
    rawInputs({ endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey, ...given }),
  );
  const step = {
    settings,
    results: [] as BatchResult[],
    verdicts: [] as Verdict[],
    async run(): Promise<void> {
      const limits = requestLimits(settings, new AbortController().signal, info);
      const outcome = await work(settings, limits, 'main');
      step.results = outcome.results;
      step.verdicts = judge(outcome.results, settings, outcome.serviceBase);
    },
  };
  return step;
}

describe('cancel-named, in process', () => {
  it("cancels a running batch and reports the batch's counts from one status read after the cancel", async () => {
    const id = emulator.addBatch({
      status: 'Running',
      documents: 8,
      succeeded: 3,
      charactersCharged: 48_213,
    });
    const step = stepFor({ 'job-id': id });
    const before = emulator.requests.length;

    await step.run();

    const [result] = step.results;
    expect(result).toMatchObject({ id, outcome: 'cancel-requested', status: { status: 'Cancelling' } });
    expect(result?.status?.counts).toMatchObject({ total: 8, success: 3, totalCharacterCharged: 48_213 });
    expect(emulator.requests.slice(before).map((request) => request.method)).toEqual(['DELETE', 'GET']);
    expect(step.verdicts.map((verdict) => verdict.action)).toEqual(['pass']);
    const { outputs } = outputsFor(step.results, undefined, step.verdicts);
    expect(outputs).toMatchObject({ outcome: 'cancel-requested', total: '8', success: '3' });
  });

  it('reports a finished batch as it was, and warns by the AlreadyFinished key', async () => {
    const id = emulator.addBatch({
      status: 'Succeeded',
      documents: 1,
      succeeded: 1,
      charactersCharged: 1_200,
    });
    const step = stepFor({ 'job-id': id });

    await step.run();

    expect(step.results[0]).toMatchObject({
      outcome: 'already-finished',
      status: { status: 'Succeeded' },
    });
    const [verdict] = step.verdicts;
    expect(verdict?.action).toBe('warn');
    expect(verdict?.message).toMatch(
      /it was charged for 1,200 characters .* error-policy key: AlreadyFinished\.$/,
    );
  });

  it('retries a 429 and cancels the batch once', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({ batchId: id, method: 'DELETE', status: 429, headers: { 'retry-after': '0' } });
    const step = stepFor({ 'job-id': id });

    await step.run();

    expect(step.results[0]).toMatchObject({ outcome: 'cancel-requested', attempts: 2 });
    const deletes = deletesOf(emulator, id);
    expect(deletes.map((request) => request.status)).toEqual([429, 200]);
  });

  it('in a dry run, says the time ran out when the status read gets no answer in time', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({ batchId: id, method: 'GET', hang: true });
    const step = stepFor({ 'job-id': id, 'dry-run': 'true', timeout: '1' });

    await step.run();

    expect(step.results[0]).toMatchObject({
      outcome: 'error',
      error: {
        code: 'NetworkError',
        message: "the step's timeout (1 s) ran out before the batch's status could be read.",
      },
    });
  });

  it('fails for a batch the service does not know, with what to check', async () => {
    const step = stepFor({ 'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c99' });

    await step.run();

    expect(step.results[0]).toMatchObject({ outcome: 'error', error: { code: 'ResourceNotFound' } });
    const [verdict] = step.verdicts;
    expect(verdict?.action).toBe('fail');
    expect(verdict?.advice).toBe(
      `Check the job id, and that ${emulator.url} is the resource that started the batch.`,
    );
  });
});

describe('cancel-stale, in process', () => {
  it("finds the old in-flight batches across the list's pages and cancels them with the list's counts", async () => {
    const old = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const stale = Array.from({ length: 120 }, () =>
      emulator.addBatch({ status: 'Running', createdDateTimeUtc: old, documents: 2 }),
    );
    emulator.addBatch({ status: 'Running' });
    const step = stepFor({ 'stale-after': '2h', 'max-jobs': '1000' });
    const before = emulator.requests.length;

    await step.run();

    const cancelled = step.results.filter((result) => stale.includes(result.id));
    expect(cancelled).toHaveLength(120);
    expect(new Set(cancelled.map((result) => result.outcome))).toEqual(new Set(['cancel-requested']));
    expect(cancelled.every((result) => result.status?.counts?.total === 2)).toBe(true);
    const sent = emulator.requests.slice(before);
    expect(
      sent.filter((request) => request.method === 'GET' && request.path.endsWith('/batches')).length,
    ).toBe(2);
    expect(sent.filter((request) => request.method === 'GET' && !request.path.endsWith('/batches'))).toEqual(
      [],
    );
  });
});
