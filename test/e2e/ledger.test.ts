// The pull request as the ledger of its translations, end to end: track records batches on the
// action's comment, from-pull-request stops them when the pull request closes, merged or not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../scripts/emulator/emulator.ts';
import { ACTIONS_BOT, GitHubApiEmulator } from '../../scripts/emulator/github-api.ts';
import { FAKE_GITHUB_TOKEN, runAction } from '../../scripts/run-action.ts';
import { ledgerMarker, readLedger } from '../../src/github/ledger.ts';
import { useEmulator } from '../support/emulator-fixture.ts';
import { expectParserMadeUnderRaisedBudget, listingLoadedModules } from '../support/loaded-modules.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });
const github = new GitHubApiEmulator({ [FAKE_GITHUB_TOKEN]: ACTIONS_BOT });
const events = mkdtempSync(join(tmpdir(), 'events-'));
beforeAll(() => github.start());
afterAll(() => github.stop());

function event(name: string, payload: object): string {
  const path = join(events, `${name}.json`);
  writeFileSync(path, JSON.stringify(payload));
  return path;
}

/** A pull_request event for pull request `number`: opened, or closed with or without a merge. */
function pullRequestEnv(number: number, action = 'synchronize', merged = false): Record<string, string> {
  const payload = { action, number, pull_request: { number, merged, base: { ref: 'main' } } };
  return github.pullRequestEnv(event(`pr-${number}-${action}-${merged}`, payload));
}

function credentials(): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
}

function ledgerOn(number: number) {
  const [comment] = github.commentsOn(number);
  return readLedger(comment?.body ?? '')?.entries ?? [];
}

function deletesOf(target: Emulator, ids: readonly string[]): string[] {
  return target.requests
    .filter((request) => request.method === 'DELETE')
    .map((request) => request.path.split('/').pop() ?? '')
    .filter((id) => ids.includes(id));
}

describe('track', () => {
  it('records the batches of two runs in one comment, each with its status and the run that started it', async () => {
    const first = emulator.addBatch({ status: 'Running' });
    const second = emulator.addBatch();

    const one = await runAction(
      { 'job-id': first, ...credentials(), track: 'true' },
      { env: pullRequestEnv(11) },
    );
    const two = await runAction(
      {
        'operation-location': `${emulator.url}/translator/document/batches/${second}?api-version=2024-05-01`,
        track: 'true',
        'subscription-key': emulator.subscriptionKey,
      },
      { env: { ...pullRequestEnv(11), GITHUB_RUN_ID: '5151' } },
    );

    expect(one.exitCode).toBe(0);
    expect(two.exitCode).toBe(0);
    expect(one.outputs).toMatchObject({ outcome: 'tracked', status: 'Running', 'job-id': first });
    expect(one.log).toContain(`Recorded batch ${first} (status Running) in the pull request's ledger`);
    expect(github.commentsOn(11)).toHaveLength(1);
    expect(ledgerOn(11)).toEqual([
      expect.objectContaining({
        id: first,
        serviceBase: emulator.url,
        status: 'Running',
        outcome: 'tracked',
        run: 'https://github.test/octo/app/actions/runs/4242',
      }),
      expect.objectContaining({
        id: second,
        status: 'NotStarted',
        run: 'https://github.test/octo/app/actions/runs/5151',
      }),
    ]);
    const body = github.commentsOn(11)[0]?.body ?? '';
    expect(body).toContain('<h3>Translations started by this pull request</h3>');
    // One row a run, its commit, and its batches folded under it.
    expect(body).toContain(
      `<tr><td><a href="https://github.test/octo/app/actions/runs/5151">run 5151</a></td><td><code>c0ffee0</code></td><td><details><summary>1 batch: 1 NotStarted</summary><code>${second}</code> NotStarted → tracked</details></td></tr>`,
    );
    expect(
      emulator.requests.filter(
        (r) => r.method === 'DELETE' && [first, second].some((id) => r.path.endsWith(id)),
      ),
    ).toEqual([]);
  });

  it("makes undici's parser under the raised tiering budget before GitHub, its first peer, answers", async () => {
    const id = emulator.addBatch({ status: 'Running' });
    const modules = listingLoadedModules();

    const run = await runAction(
      { 'job-id': id, ...credentials(), track: 'true' },
      { env: { ...pullRequestEnv(19), ...modules.env } },
    );

    expect(run.exitCode).toBe(0);
    expect(github.requests.some((request) => request.path.includes('/issues/19/comments'))).toBe(true);
    expectParserMadeUnderRaisedBudget(modules.loaded());
  });

  it('keeps both when two runs record on the same pull request at the same moment', async () => {
    const ids = [emulator.addBatch(), emulator.addBatch(), emulator.addBatch(), emulator.addBatch()];

    const runs = await Promise.all(
      ids.map((id, index) =>
        runAction(
          { 'job-id': id, ...credentials(), track: 'true' },
          { env: { ...pullRequestEnv(12), GITHUB_RUN_ID: String(700 + index) } },
        ),
      ),
    );

    expect(runs.map((run) => run.exitCode)).toEqual([0, 0, 0, 0]);
    const marked = github.commentsOn(12).map((comment) => readLedger(comment.body)?.entries ?? []);
    expect(new Set(marked.flat().map((entry) => entry.id))).toEqual(new Set(ids));
  });

  it('records without reading when no credential is given', async () => {
    const id = emulator.addBatch();
    const before = emulator.requests.length;

    const run = await runAction(
      { 'job-id': id, endpoint: emulator.url, track: 'true' },
      { env: pullRequestEnv(13) },
    );

    expect(run.exitCode).toBe(0);
    expect(emulator.requests.length).toBe(before);
    expect(ledgerOn(13)).toEqual([expect.objectContaining({ id, outcome: 'tracked' })]);
    expect(ledgerOn(13)[0]).not.toHaveProperty('status');
  });

  it('fails on a batch the service does not know, and does not record it', async () => {
    const typo = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c99';

    const run = await runAction(
      { 'job-id': typo, ...credentials(), track: 'true' },
      { env: pullRequestEnv(14) },
    );

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ResourceNotFound');
    expect(github.commentsOn(14)).toEqual([]);
  });

  it('fails, naming the permission, when the token may not comment', async () => {
    github.readOnly = true;
    try {
      const id = emulator.addBatch();
      const run = await runAction(
        { 'job-id': id, ...credentials(), track: 'true' },
        { env: pullRequestEnv(15) },
      );

      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        new RegExp(
          `^Could not record batch ${id} in pull request #15's ledger, so no step with from-pull-request will stop it \\(HTTP 403\\)`,
        ),
      );
      expect(run.errors[0]).not.toContain('cancel batch');
      expect(run.errors[0]).toContain('permissions: pull-requests: write');
      expect(run.outputs['error-code']).toBe('NotRecorded');
    } finally {
      github.readOnly = false;
    }
  });
});

describe('from-pull-request', () => {
  // Another Translator resource, with a key of its own.
  const other = useEmulator({ subscriptionKey: 'other-resource-key' });

  async function trackOn(number: number, ids: readonly string[]): Promise<void> {
    const run = await runAction(
      { 'job-id': ids.join('\n'), ...credentials(), track: 'true' },
      { env: pullRequestEnv(number) },
    );
    expect(run.exitCode).toBe(0);
  }

  it.each([
    ['closed without a merge', 21, false],
    ['merged', 22, true],
  ])(
    'cancels every recorded batch when the pull request is %s, and shows the outcomes in the comment',
    async (_name, number, merged) => {
      const ids = [emulator.addBatch({ status: 'Running' }), emulator.addBatch()];
      await trackOn(number, ids);

      const run = await runAction(
        { ...credentials(), 'from-pull-request': 'true' },
        { env: pullRequestEnv(number, 'closed', merged) },
      );

      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({
        outcome: 'cancel-requested',
        status: 'Cancelling',
        'job-id': ids.join('\n'),
      });
      expect(deletesOf(emulator, ids).sort()).toEqual([...ids].sort());
      expect(ledgerOn(number).map((entry) => [entry.id, entry.status, entry.outcome])).toEqual(
        ids.map((id) => [id, 'Cancelling', 'cancel-requested']),
      );
      expect(github.commentsOn(number)).toHaveLength(1);
    },
  );

  it('leaves out batches already known to have finished, and passes with a notice when none remain', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    await trackOn(23, [id]);
    await runAction({ ...credentials(), 'from-pull-request': 'true' }, { env: pullRequestEnv(23, 'closed') });
    const [comment] = github.commentsOn(23);
    if (!comment) throw new Error('no comment on pull request #23');
    // The batch has turned Cancelled since, as a later run would have recorded.
    const cancelled = ledgerOn(23).map((entry) => ({ ...entry, status: 'Cancelled' }));
    comment.body = `<!-- cancel-document-translation -->\n${ledgerMarker(cancelled)}`;

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(23, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain(
      '::notice::All 1 recorded translations have finished on pull request #23: nothing to cancel.',
    );
    expect(deletesOf(emulator, [id])).toHaveLength(1);
  });

  it('passes with a notice when nothing is recorded', async () => {
    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(24, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.log).toContain(
      '::notice::No translations are recorded on pull request #24: nothing to cancel.',
    );
  });

  it("ignores, and reports, a ledger in someone else's comment", async () => {
    const planted = emulator.addBatch({ status: 'Running' });
    const now = new Date().toISOString();
    github.addComment(
      25,
      'mallory',
      `<!-- cancel-document-translation -->\n${ledgerMarker([{ id: planted, serviceBase: emulator.url, recordedAt: now, updatedAt: now }])}`,
    );

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(25, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.warnings[0]).toContain(
      "1 comments on pull request #25 carry this action's marker but are not its ledger (written by someone other than github-token's user",
    );
    expect(deletesOf(emulator, [planted])).toEqual([]);
  });

  it('skips a batch recorded on another resource, never sending it the key', async () => {
    const mine = emulator.addBatch();
    const theirs = other.addBatch();
    await trackOn(26, [mine]);
    const tracked = await runAction(
      { 'job-id': theirs, endpoint: other.url, 'subscription-key': 'other-resource-key', track: 'true' },
      { env: pullRequestEnv(26) },
    );
    expect(tracked.exitCode).toBe(0);
    const before = other.requests.length;

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(26, 'closed') },
    );

    expect(deletesOf(emulator, [mine])).toEqual([mine]);
    expect(other.requests.length).toBe(before);
    expect(run.exitCode).toBe(0);
    expect(run.warnings.join('\n')).toContain(`OtherEndpoint`);
    expect(run.log).toContain(
      `recorded on ${new URL(other.url).host}, not on the endpoint ${new URL(emulator.url).host}: skipped`,
    );
  });

  it('sends no cancel in a dry run, and leaves the comment as it is', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    await trackOn(27, [id]);
    const body = github.commentsOn(27)[0]?.body;

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true', 'dry-run': 'true' },
      { env: pullRequestEnv(27, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('would-cancel');
    expect(deletesOf(emulator, [id])).toEqual([]);
    expect(github.commentsOn(27)[0]?.body).toBe(body);
  });

  it('works on a workflow_dispatch event for the pull request given in pull-request', async () => {
    const id = emulator.addBatch();
    await trackOn(28, [id]);

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true', 'pull-request': '28' },
      { env: github.pullRequestEnv(event('dispatch', { inputs: {} }), 'workflow_dispatch') },
    );

    expect(run.exitCode).toBe(0);
    expect(deletesOf(emulator, [id])).toEqual([id]);
    expect(ledgerOn(28)[0]).toMatchObject({ status: 'Cancelling', outcome: 'cancel-requested' });
  });

  it('never sends the credential where a ledger record says: without endpoint, a close with batches to stop fails in one line', async () => {
    const id = emulator.addBatch();
    await trackOn(29, [id]);

    const run = await runAction(
      { 'subscription-key': emulator.subscriptionKey, 'from-pull-request': 'true', 'pull-request': '29' },
      { env: github.pullRequestEnv(event('dispatch', { inputs: {} }), 'workflow_dispatch') },
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'Pull request #29 recorded 1 batch that may still be running: set endpoint to the resource they are on (https://<resource>.cognitiveservices.azure.com); from-pull-request sends the credential only there.',
    ]);
    expect(run.outputs['error-code']).toBe('InvalidInput');
    expect(deletesOf(emulator, [id])).toEqual([]);
  });

  it('fails with one line on an event without a pull request when pull-request is not set', async () => {
    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: github.pullRequestEnv(event('dispatch', { inputs: {} }), 'workflow_dispatch') },
    );

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'from-pull-request needs a pull request, and this workflow_dispatch event has none: set pull-request to its number.',
    ]);
  });
});
