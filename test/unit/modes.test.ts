// The modes in process, against the emulator (the Emulator class, on loopback): cancel, counts,
// retries, the stale search, verdicts and outputs, with no bundle and no process to start, so that a
// change to the core logic is tested in a second. The end-to-end tests run the same through dist/.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import type { Mode } from '../../src/common/types.ts';
import { endGroup, fail, info, startGroup, warn } from '../../src/github/runner.ts';
import { cancelNamed } from '../../src/modes/cancel-named.ts';
import { cancelStale } from '../../src/modes/cancel-stale.ts';
import { type Step, stepOf } from '../../src/modes/step.ts';
import { outputsFor } from '../../src/report/outputs.ts';
import { StepReport } from '../../src/report/step-report.ts';
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

function stepFor(given: Record<string, string>): Step {
  const settings = parseSettings(
    rawInputs({ endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey, ...given }),
  );
  return stepOf(
    settings,
    new AbortController().signal,
    new StepReport({ info, warn, fail, startGroup, endGroup }),
  );
}

function modeOf<K extends Mode['kind']>(step: Step, kind: K): Extract<Mode, { kind: K }> {
  const { mode } = step.settings;
  if (mode.kind !== kind) throw new Error(`the inputs give ${mode.kind}, not ${kind}`);
  return mode as Extract<Mode, { kind: K }>;
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

    await cancelNamed(step, modeOf(step, 'cancel-named'));

    const [result] = step.report.results;
    expect(result).toMatchObject({ id, outcome: 'cancel-requested', status: { status: 'Cancelling' } });
    expect(result?.status?.summary).toMatchObject({ total: 8, success: 3, totalCharacterCharged: 48_213 });
    expect(emulator.requests.slice(before).map((request) => request.method)).toEqual(['DELETE', 'GET']);
    expect(step.report.verdicts.map((verdict) => verdict.action)).toEqual(['pass']);
    const { outputs } = outputsFor(step.report.results, undefined, step.report.verdicts);
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

    await cancelNamed(step, modeOf(step, 'cancel-named'));

    expect(step.report.results[0]).toMatchObject({
      outcome: 'already-finished',
      status: { status: 'Succeeded' },
    });
    const [verdict] = step.report.verdicts;
    expect(verdict?.action).toBe('warn');
    expect(verdict?.message).toMatch(
      /it was charged for 1,200 characters .* error-policy key: AlreadyFinished\.$/,
    );
  });

  it('retries a 429 and cancels the batch once', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({ batchId: id, method: 'DELETE', status: 429, headers: { 'retry-after': '0' } });
    const step = stepFor({ 'job-id': id });

    await cancelNamed(step, modeOf(step, 'cancel-named'));

    expect(step.report.results[0]).toMatchObject({ outcome: 'cancel-requested', attempts: 2 });
    const deletes = deletesOf(emulator, id);
    expect(deletes.map((request) => request.status)).toEqual([429, 200]);
  });

  it('in a dry run, says the time ran out when the status read gets no answer in time', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({ batchId: id, method: 'GET', hang: true });
    const step = stepFor({ 'job-id': id, 'dry-run': 'true', timeout: '1' });

    await cancelNamed(step, modeOf(step, 'cancel-named'));

    expect(step.report.results[0]).toMatchObject({
      outcome: 'error',
      error: {
        code: 'NetworkError',
        message: "the step's timeout (1 s) ran out before the batch's status could be read.",
      },
    });
  });

  it('fails for a batch the service does not know, with what to check', async () => {
    const step = stepFor({ 'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c99' });

    await cancelNamed(step, modeOf(step, 'cancel-named'));

    expect(step.report.results[0]).toMatchObject({ outcome: 'error', error: { code: 'ResourceNotFound' } });
    const [verdict] = step.report.verdicts;
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

    await cancelStale(step, modeOf(step, 'cancel-stale'));

    const cancelled = step.report.results.filter((result) => stale.includes(result.id));
    expect(cancelled).toHaveLength(120);
    expect(new Set(cancelled.map((result) => result.outcome))).toEqual(new Set(['cancel-requested']));
    expect(cancelled.every((result) => result.status?.summary?.total === 2)).toBe(true);
    const sent = emulator.requests.slice(before);
    expect(
      sent.filter((request) => request.method === 'GET' && request.path.endsWith('/batches')).length,
    ).toBe(2);
    expect(sent.filter((request) => request.method === 'GET' && !request.path.endsWith('/batches'))).toEqual(
      [],
    );
  });
});
