// Many batches in one step, the action run in process: lists of ids, cancelling every stale in-flight batch across
// pages, the max-jobs cap, dry runs, and no batch lost when the service throttles.
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { useEmulator } from '../support/emulator-fixture.ts';
import { runInProcess } from '../support/run-in-process.ts';

const HOUR = 3_600_000;

function hoursAgo(hours: number): string {
  return new Date(Date.now() - hours * HOUR).toISOString();
}

function credentials(target: Emulator): Record<string, string> {
  return { endpoint: target.url, 'subscription-key': target.subscriptionKey };
}

function deletedIds(target: Emulator): string[] {
  return target.requests
    .filter((request) => request.method === 'DELETE' && request.status === 200)
    .map((request) => request.path.split('/').pop() ?? '');
}

interface ResultEntry {
  id: string;
  status: string | null;
  outcome: string;
}

function resultsOf(outputs: Record<string, string>): ResultEntry[] {
  return JSON.parse(outputs.results ?? '[]') as ResultEntry[];
}

describe('a list of job ids', () => {
  const emulator = useEmulator({ cancelDelayMs: 60_000 });

  it('cancels each, reports each in results in the order given, sums the counts, and fails for the worst', async () => {
    const running = emulator.addBatch({ status: 'Running', documents: 3, charactersCharged: 100 });
    const finished = emulator.addBatch({
      status: 'Succeeded',
      documents: 2,
      succeeded: 2,
      charactersCharged: 500,
    });
    const unknown = '0d0d0d0d-1111-4222-8333-444444444444';

    const run = await runInProcess({
      'job-id': `${running}\n${finished}\n\n${unknown}\n`,
      ...credentials(emulator),
    });

    expect(run.exitCode).toBe(1);
    expect(resultsOf(run.outputs).map(({ id, outcome }) => [id, outcome])).toEqual([
      [running, 'cancel-requested'],
      [finished, 'already-finished'],
      [unknown, 'error'],
    ]);
    expect(run.outputs).toMatchObject({
      'job-id': `${running}\n${finished}\n${unknown}`,
      status: 'Mixed',
      outcome: 'Mixed',
      total: '5',
      success: '2',
      'total-character-charged': '600',
      'error-code': 'ResourceNotFound',
      'created-date-time-utc': '',
    });
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/^1 of 3 batches: Batch \S+ had already finished/);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/^1 of 3 batches: Could not cancel batch 0d0d0d0d/);
    expect(run.log).toContain('::group::3 batches');
  });

  it('takes commas, drops blanks and repeats, and merges job-id with operation-location', async () => {
    const first = emulator.addBatch();
    const second = emulator.addBatch();
    const third = emulator.addBatch();

    const run = await runInProcess({
      'job-id': ` ${first}, ${second},,${first.toUpperCase()}`,
      'operation-location': `${emulator.url}/translator/document/batches/${third}?api-version=2024-05-01, ${second}`,
      ...credentials(emulator),
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['job-id']?.split('\n')).toEqual([first, second, third]);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
  });
});

describe('stale-after', () => {
  const emulator = useEmulator({ cancelDelayMs: 60_000 });

  /** A resource of its own for one test: 250 old in-flight batches, and 70 to spare. */
  async function seededResource(): Promise<{ target: Emulator; oldInFlight: string[]; spared: string[] }> {
    const target = new Emulator({ cancelDelayMs: 60_000 });
    await target.start();
    onTestFinished(() => target.stop());
    const oldInFlight: string[] = [];
    const spared: string[] = [];
    for (let i = 0; i < 250; i++) {
      oldInFlight.push(
        target.addBatch({
          status: i % 3 ? 'NotStarted' : 'Running',
          createdDateTimeUtc: hoursAgo(3 + i / 100),
        }),
      );
    }
    for (let i = 0; i < 30; i++) spared.push(target.addBatch({ createdDateTimeUtc: hoursAgo(i / 60) }));
    for (const status of ['Succeeded', 'Failed', 'Cancelled', 'ValidationFailed']) {
      for (let i = 0; i < 10; i++) spared.push(target.addBatch({ status, createdDateTimeUtc: hoursAgo(5) }));
    }
    return { target, oldInFlight, spared };
  }

  it('in a dry run, lists every old in-flight batch as would-cancel and sends no cancel', async () => {
    const { target, oldInFlight } = await seededResource();

    const run = await runInProcess({
      'stale-after': '2h',
      'max-jobs': '1000',
      'dry-run': 'true',
      ...credentials(target),
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('would-cancel');
    expect(new Set(resultsOf(run.outputs).map((result) => result.id))).toEqual(new Set(oldInFlight));
    expect(target.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
    expect(run.log).toContain('Found 250 stale batches in 3 pages.');
    const pages = target.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith('/batches'),
    );
    expect(pages.map((page) => page.query.skip)).toEqual([undefined, '100', '200']);
  });

  it('cancels only the oldest max-jobs and warns how many remain, naming the first of them', async () => {
    const { target, oldInFlight } = await seededResource();

    const run = await runInProcess({ 'stale-after': 'PT2H', 'max-jobs': '100', ...credentials(target) });

    expect(run.exitCode).toBe(0);
    const byAge = [...oldInFlight].reverse();
    expect(run.warnings).toEqual([
      `250 batches to cancel, more than max-jobs (100): cancelling the first 100, the oldest; 150 remain: ${byAge.slice(100, 110).join(', ')}, and 140 more. Raise max-jobs, or run the step again for them.`,
    ]);
    expect(new Set(deletedIds(target))).toEqual(new Set(byAge.slice(0, 100)));
  });

  it('cancels every old in-flight batch across the pages, and none of the new or finished ones', async () => {
    const { target, oldInFlight, spared } = await seededResource();

    const run = await runInProcess({ 'stale-after': '120m', 'max-jobs': '1000', ...credentials(target) });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
    expect(resultsOf(run.outputs)).toHaveLength(250);
    const deleted = deletedIds(target);
    expect(deleted).toHaveLength(250);
    expect(new Set(deleted)).toEqual(new Set(oldInFlight));
    for (const id of spared) expect(deleted).not.toContain(id);
  });

  it('says in the summary what it searched for and found, folds the long table, and keeps the totals in view', async () => {
    const { target } = await seededResource();

    const run = await runInProcess({ 'stale-after': '2h', 'max-jobs': '100', ...credentials(target) });

    const [heading, verdict, searched] = run.summary.split('\n');
    expect(heading).toBe('<h2>Cancel Document Translation</h2>');
    expect(verdict).toBe('<p><b>⚠️ Cancel requested for 100 batches — 0 characters charged so far</b></p>');
    expect(searched).toMatch(
      /^<p>Searched for NotStarted or Running batches created before \d{4}-\d\d-\d\dT[\d:.]+Z \(stale-after 2h\): found 250, acted on 100; 150 left for a later run by max-jobs\.<\/p>$/,
    );
    const [beforeFold = '', folded = ''] = run.summary.split('<details><summary>All 100 batches</summary>');
    expect(beforeFold).toContain(
      '<tr><td><b>Total</b></td><td>100 batches</td><td align="right"><b>100</b></td>',
    );
    expect(folded.match(/<tr><td><code>/g)).toHaveLength(100);
  });

  it('with nothing stale, passes and says so', async () => {
    const run = await runInProcess({ 'stale-after': '30d', ...credentials(emulator) });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('Found 0 stale batches');
    expect(run.log).toContain('Nothing to cancel.');
    expect(run.log).not.toContain('::group::');
    expect(run.outputs).toMatchObject({ 'job-id': '', outcome: '', results: '[]' });
  });
});

describe('a list whose page link is named as the spec names it (nextLink)', () => {
  const emulator = useEmulator({ pageLinkName: 'nextLink' });

  it('is followed to its last page all the same', async () => {
    for (let i = 0; i < 120; i++) emulator.addBatch({ createdDateTimeUtc: hoursAgo(3) });

    const run = await runInProcess({
      'stale-after': '1h',
      'max-jobs': '1000',
      'dry-run': 'true',
      ...credentials(emulator),
    });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('Found 120 stale batches in 2 pages.');
  });
});

describe('dry-run with job ids', () => {
  const emulator = useEmulator();

  it("reads each batch's status and sends no cancel", async () => {
    const running = emulator.addBatch({ status: 'Running' });
    const cancelled = emulator.addBatch({ status: 'Cancelled' });

    const run = await runInProcess({
      'job-id': `${running},${cancelled}`,
      'dry-run': 'true',
      ...credentials(emulator),
    });

    expect(run.exitCode).toBe(0);
    expect(resultsOf(run.outputs).map((result) => result.outcome)).toEqual([
      'would-cancel',
      'already-cancelled',
    ]);
    expect(emulator.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
  });
});

describe('under throttling', () => {
  const emulator = useEmulator({ cancelDelayMs: 60_000, maxRequestsPerSecond: 20 });

  it('cancels 60 batches against a service that takes 20 requests a second, losing none and cancelling none twice', async () => {
    const ids = Array.from({ length: 60 }, () => emulator.addBatch());

    const run = await runInProcess({ 'job-id': ids.join('\n'), 'max-jobs': '200', ...credentials(emulator) });

    expect(run.exitCode).toBe(0);
    const results = resultsOf(run.outputs);
    expect(results.map((result) => result.id)).toEqual(ids);
    expect(results.every((result) => result.outcome === 'cancel-requested')).toBe(true);
    const deleted = deletedIds(emulator);
    expect(deleted).toHaveLength(60);
    expect(new Set(deleted).size).toBe(60);
    expect(emulator.requests.some((request) => request.status === 429)).toBe(true);
  });
});
