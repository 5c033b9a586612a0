// GitHub under load, end to end through the bundle: its rate limits (a secondary limit with and
// without retry-after, a 429, the primary limit) are waited out within the step's time, and said in
// one line when they cannot be; a matrix of 20 track runs recording at the same moment, against a
// GitHub whose answers take 20 to 50 ms, all record their batch, leave one comment people read, and a
// close cancels all 20.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { usePullRequestWorld } from '../support/pull-request.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';

const world = usePullRequestWorld();
const { emulator, github } = world;

function track(id: string, number: number, more: Record<string, string> = {}, runId = 4242) {
  return runAction(
    { 'job-id': id, ...world.credentials(), track: 'true', ...more },
    { env: world.pullRequestEnv(number, 'synchronize', runId) },
  );
}

describe("GitHub's rate limits on the ledger's writes", () => {
  it.each([
    [
      'a secondary rate limit (403) with retry-after',
      301,
      { kind: 'secondary' as const, retryAfterSeconds: 0 },
    ],
    [
      'a secondary rate limit as a 429',
      302,
      { kind: 'secondary' as const, status: 429 as const, retryAfterSeconds: 0 },
    ],
    ['the primary rate limit, until x-ratelimit-reset', 303, { kind: 'primary' as const, resetInSeconds: 0 }],
  ])('%s is waited out, and the batch is recorded', async (_, number, limit) => {
    const id = emulator.addBatch({ status: 'Running' });
    github.addRateLimit({ ...limit, times: 2 });

    const run = await track(id, number);

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('tracked');
    expect(world.ledgerOn(number).map((entry) => entry.id)).toContain(id);
    expect(run.log).toMatch(/GitHub's (secondary )?rate limit.*\(HTTP (403|429).*trying again in/);
    expect(
      github.requests.filter((request) => request.status === 403 || request.status === 429),
    ).not.toHaveLength(0);
  });

  it('a secondary rate limit without retry-after, longer than the step has left: one line, not a permission, not recorded', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    github.addRateLimit({ kind: 'secondary', times: 1 });

    const run = await track(id, 311, { timeout: '10' });

    expectOneLineFailure(
      run,
      `Could not record batch ${id} in pull request #311's ledger, so no step with from-pull-request will stop it`,
    );
    expect(run.errors[0]).toContain(
      "GitHub's secondary rate limit (HTTP 403: You have exceeded a secondary rate limit.",
    );
    expect(run.errors[0]).toContain('it asks to wait 60.0 s');
    expect(run.errors[0]).toContain('not a missing permission');
    expect(run.errors[0]).not.toContain('pull-requests: write');
    expect(run.outputs['error-code']).toBe('NotRecorded');
    expect(world.ledgerOn(311)).toEqual([]);
  });
});

describe('a matrix: 20 track runs on one pull request at the same moment', () => {
  it('all record their batch, none fails, one comment shows them all, and the close cancels all 20', async () => {
    github.latencyMs = 20;
    github.jitterMs = 30;
    const ids = Array.from({ length: 20 }, () => emulator.addBatch({ status: 'Running' }));

    const runs = await Promise.all(ids.map((id, index) => track(id, 320, {}, 6_000 + index)));
    const recorded = world.ledgerOn(320).map((entry) => entry.id);
    const comments = github.commentsOn(320);
    const close = await runAction(
      { 'from-pull-request': 'true', ...world.credentials() },
      { env: world.pullRequestEnv(320, 'closed') },
    );
    github.latencyMs = 0;
    github.jitterMs = 0;

    expect(runs.map((run) => run.exitCode)).toEqual(ids.map(() => 0));
    expect(new Set(recorded)).toEqual(new Set(ids));
    expect(comments).toHaveLength(1);
    expect(close.exitCode).toBe(0);
    expect(world.cancelsOf(ids)).toBe(20);
  });
});

describe("the list's cap of 25 ids a request", () => {
  it('closes 120 pending batches with lists of at most 25 ids, in parallel, and no status read of its own', async () => {
    const entries = world.seededEntries(120);
    world.seedLedger(330, entries);
    const before = emulator.requests.length;

    const close = await runAction(
      { 'from-pull-request': 'true', ...world.credentials() },
      { env: world.pullRequestEnv(330, 'closed') },
    );

    const requests = emulator.requests.slice(before);
    const lists = requests.filter((request) => request.method === 'GET' && request.path.endsWith('/batches'));
    expect(close.exitCode).toBe(0);
    expect(lists).toHaveLength(5);
    expect(lists.map((list) => (list.query.ids ?? '').split(',').length)).toEqual([25, 25, 25, 25, 20]);
    expect(
      requests.filter((request) => request.method === 'GET' && !request.path.endsWith('/batches')),
    ).toEqual([]);
    expect(world.cancelsOf(entries.map((entry) => entry.id))).toBe(120);
    expect(close.log).toContain('Read the status of 120 batches in 5 list requests.');
  });
});
