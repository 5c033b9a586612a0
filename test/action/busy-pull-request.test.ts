// A busy pull request, the action run in process against emulators that keep GitHub's limits (a comment body of at
// most 65,536 characters, the comment list in pages): the ledger holds thousands of batches over
// several comments, every one of them is cancelled at close, and the outputs stay within 1 MB.
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT, MAX_COMMENT_LENGTH } from '../../scripts/emulator/github-api.ts';
import { usePullRequestWorld } from '../support/pull-request.ts';
import { runInProcess } from '../support/run-in-process.ts';

const {
  emulator,
  github,
  pullRequestEnv,
  credentials,
  ledgerOn,
  cancelsOf,
  githubLimits,
  seededEntries,
  seedLedger,
} = usePullRequestWorld();

describe('a busy pull request', () => {
  it('holds 10,000 batches over several comments: a track adds to them, the close cancels every one, the outputs stay within 1 MB', async () => {
    const seeded = seededEntries(10_000);
    seedLedger(102, seeded);
    const more = Array.from({ length: 5 }, () => emulator.addBatch({ status: 'Running' }));

    const track = await runInProcess(
      { 'job-id': more.join('\n'), ...credentials(), track: 'true' },
      { env: pullRequestEnv(102) },
    );
    const close = await runInProcess(
      { ...credentials(), 'from-pull-request': 'true', summary: 'false' },
      { env: pullRequestEnv(102, 'closed') },
    );

    expect(track.exitCode).toBe(0);
    expect(close.exitCode).toBe(0);
    const all = [...seeded.map((entry) => entry.id), ...more];
    expect(cancelsOf(all)).toBe(10_005);
    const ledger = ledgerOn(102);
    expect(ledger).toHaveLength(10_005);
    expect(new Set(ledger.map((entry) => entry.status))).toEqual(new Set(['Cancelling']));
    const comments = github.commentsOn(102);
    expect(comments.length).toBeGreaterThan(5);
    expect(comments.every((comment) => comment.body.length <= MAX_COMMENT_LENGTH)).toBe(true);
    expect(githubLimits().refused).toBe(0);
    // What people read: the first comment, with the counts by status, and no batch left unsaid.
    const [first] = comments;
    expect(first?.body).toContain('<p>10,005 batches: 10,005 Cancelling.</p>');
    expect(first?.body).toMatch(
      /<p>[\d,]+ batches more not listed, for the comment's size; every one is in the ledger/,
    );
    // Each batch's status was read 25 to a list request (the list's cap), not one request each.
    const reads = emulator.requests.filter((request) => request.method === 'GET' && request.query.ids);
    expect(reads.length).toBeGreaterThanOrEqual(401);
    expect(reads.length).toBeLessThanOrEqual(410);

    // The outputs: every count covers all, results and job-id keep what fits and say how many they left out.
    const size = Object.values(close.outputs).reduce((total, value) => total + Buffer.byteLength(value), 0);
    expect(size).toBeLessThanOrEqual(1_000_000);
    expect(close.outputs.total).toBe(String(10_000 * 2 + 5));
    const results = JSON.parse(close.outputs.results ?? '[]') as Array<{ id?: string; leftOut?: number }>;
    const last = results.at(-1);
    expect(last?.leftOut).toBe(10_005 - (results.length - 1));
    expect(last?.leftOut).toBeGreaterThan(5_000);
    const ids = (close.outputs['job-id'] ?? '').split('\n');
    expect(ids).toHaveLength(results.length);
    expect(ids.at(-1)).toBe(
      `(${last?.leftOut?.toLocaleString('en-US')} more batches left out: a job's outputs hold at most 1 MB; the count outputs cover every batch)`,
    );
    expect(close.warnings).toEqual([
      `The results and job-id outputs leave out ${last?.leftOut?.toLocaleString('en-US')} of the 10,005 batches, as a job's outputs hold at most 1 MB: they keep the failures first, then the warnings; the count outputs and the job summary cover every batch.`,
    ]);
  }, 60_000);

  it('finds its comment behind 150 others and updates it, never writing a second', async () => {
    for (let index = 0; index < 150; index++) github.addComment(103, 'octocat', `Looks good ${index}`);
    const first = emulator.addBatch({ status: 'Running' });
    const second = emulator.addBatch({ status: 'Running' });

    await runInProcess({ 'job-id': first, ...credentials(), track: 'true' }, { env: pullRequestEnv(103) });
    for (let index = 150; index < 160; index++) github.addComment(103, 'octocat', `And ${index}`);
    const again = await runInProcess(
      { 'job-id': second, ...credentials(), track: 'true' },
      { env: pullRequestEnv(103) },
    );

    expect(again.exitCode).toBe(0);
    const ours = github.commentsOn(103).filter((comment) => comment.user.login === ACTIONS_BOT);
    expect(ours).toHaveLength(1);
    expect(ledgerOn(103).map((entry) => entry.id)).toEqual([first, second]);
    const pages = github.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith('/103/comments'),
    );
    expect(pages.length).toBeGreaterThanOrEqual(4);
  });

  it('warns of a comment whose record a person edited, leaves it as it is, and cancels the others', async () => {
    const seeded = seededEntries(8);
    seedLedger(104, seeded, 4);
    const [kept, edited] = github.commentsOn(104);
    if (!kept || !edited) throw new Error('two comments were seeded');
    edited.body = edited.body.replace(/\.([A-Za-z0-9+/]{10})/, '.AAAAAAAAAA');
    const editedBody = edited.body;

    const close = await runInProcess(
      { ...credentials(), 'from-pull-request': 'true', summary: 'false' },
      { env: pullRequestEnv(104, 'closed') },
    );

    expect(close.exitCode).toBe(0);
    expect(close.warnings).toEqual([
      `The ledger in the comment ${edited.html_url} could not be read (edited by hand?), so its batches are not cancelled: restore the comment from its edit history, then run this step again, or cancel those batches by job-id.`,
    ]);
    expect(cancelsOf(seeded.slice(0, 4).map((entry) => entry.id))).toBe(4);
    expect(cancelsOf(seeded.slice(4).map((entry) => entry.id))).toBe(0);
    expect(edited.body).toBe(editedBody);
  });
});

describe("a list of the ledger's ids that the service refuses", () => {
  it('falls back to reading those batches with their cancels, and says once that the list was refused', async () => {
    const seeded = seededEntries(60);
    seedLedger(108, seeded);
    emulator.addFault({ method: 'GET', status: 400, times: 1 });

    const close = await runInProcess(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(108, 'closed') },
    );

    expect(close.exitCode).toBe(0);
    expect(cancelsOf(seeded.map((entry) => entry.id))).toBe(60);
    const refusals = close.log.split('\n').filter((line) => line.includes('The service refused'));
    expect(refusals).toEqual([
      'The service refused 1 list request of batch ids (InvalidRequest: The request is invalid.): the status of each of those batches is read with its cancel instead.',
    ]);
    expect(close.log).toContain('Read the status of 35 batches in 2 list requests.');
  });
});
