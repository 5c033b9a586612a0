// Fitting GitHub, end to end: the job summary, one pull request comment kept up to date, and guard
// mode's post step that never leaves a translation running.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS_BOT, GitHubApiEmulator } from '../../scripts/emulator/github-api.ts';
import { FAKE_GITHUB_TOKEN, runAction } from '../../scripts/run-action.ts';
import { useEmulator } from '../support/emulator-fixture.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

function credentials(): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
}

describe('the job summary', () => {
  it('opens with a verdict, has a row per batch and a total row, and what needs a look below, cause first', async () => {
    const running = emulator.addBatch({
      status: 'Running',
      documents: 4,
      succeeded: 1,
      charactersCharged: 321,
    });
    const finished = emulator.addBatch({ status: 'Succeeded', documents: 2, succeeded: 2 });

    const run = await runAction({ 'job-id': `${running}\n${finished}`, ...credentials() });

    const lines = run.summary.split('\n');
    expect(lines[0]).toBe('<h2>Cancel Document Translation</h2>');
    expect(lines[1]).toBe(
      '<p><b>⚠️ Cancel requested for 1 batch, 1 had already finished — 321 characters charged so far</b></p>',
    );
    expect(run.summary).toContain(
      `<tr><td><code>${running}</code></td><td>Cancelling → cancel requested</td><td align="right">4</td><td align="right">0</td><td align="right">321</td></tr>`,
    );
    expect(run.summary).toContain(
      `<td><code>${finished}</code></td><td>Succeeded → already finished, nothing cancelled</td>`,
    );
    expect(run.summary).toContain(
      '<tr><td><b>Total</b></td><td>2 batches</td><td align="right"><b>6</b></td>',
    );
    expect(run.summary).toContain(
      `<p>⚠️ <b>Already Succeeded: nothing cancelled</b> (batch <code>${finished}</code>) — It had finished before the step ran; it was charged for 0 characters (2 of 2 documents translated).`,
    );
    expect(run.summary).not.toContain('error-policy');
  });

  it('is written when the step fails, and escapes what the service says', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 404,
      body: JSON.stringify({ error: { code: 'ResourceNotFound', message: '<img src=x onerror=alert(1)>' } }),
    });

    const run = await runAction({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('<p><b>❌ 1 of 1 batch not cancelled: Not found (HTTP 404)</b></p>');
    expect(run.summary).toContain('<p>❌ <b>Not found (HTTP 404)</b>');
    expect(run.summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(run.summary).not.toContain('<img');
  });

  it('is written for bad input too', async () => {
    const run = await runAction({ 'job-id': 'nope', ...credentials() });

    expect(run.summary).toContain('<p><b>❌ The step failed</b></p>');
    expect(run.summary).toContain('<p>❌ job-id &quot;nope&quot; is neither a job id');
  });

  it('is not written with summary: false', async () => {
    const run = await runAction({ 'job-id': emulator.addBatch(), ...credentials(), summary: 'false' });

    expect(run.exitCode).toBe(0);
    expect(run.summary).toBe('');
  });
});

describe('the pull request comment', () => {
  const github = new GitHubApiEmulator({
    [FAKE_GITHUB_TOKEN]: ACTIONS_BOT,
    ghs_anotherToken987654321: 'octo-ci',
  });
  const eventPath = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  beforeAll(async () => {
    writeFileSync(eventPath, JSON.stringify({ action: 'closed', number: 7, pull_request: { number: 7 } }));
    await github.start();
  });
  afterAll(() => github.stop());

  it('is created once, then edited on later runs, never duplicated', async () => {
    const first = emulator.addBatch();
    const second = emulator.addBatch();

    const created = await runAction(
      { 'job-id': first, ...credentials(), comment: 'true' },
      { env: github.pullRequestEnv(eventPath) },
    );
    const updated = await runAction(
      { 'job-id': second, ...credentials(), comment: 'true' },
      { env: github.pullRequestEnv(eventPath) },
    );

    expect(created.exitCode).toBe(0);
    expect(created.log).toContain(
      'Commented on pull request #7: https://github.test/octo/app/pull/7#issuecomment-1000',
    );
    expect(updated.log).toContain('Updated the comment on pull request #7');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain('<!-- cancel-document-translation -->');
    expect(github.comments[0]?.body).toContain(second);
    expect(github.comments[0]?.body).not.toContain(first);
    expect(github.comments[0]?.body).toMatch(
      /<p><sub>Updated by <a href="https:\/\/github\.test\/octo\/app\/actions\/runs\/4242">run 4242<\/a> at commit <code>c0ffee0<\/code> on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.<\/sub><\/p>/,
    );
    // Who the token is, asked once a run, after the comments it may have to tell apart.
    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/octo/app/issues/7/comments',
      'GET /user',
      'POST /repos/octo/app/issues/7/comments',
      'GET /repos/octo/app/issues/7/comments',
      'GET /user',
      'PATCH /repos/octo/app/issues/comments/1000',
    ]);
    expect(github.requests[0]?.authorization).toBe(`token ${FAKE_GITHUB_TOKEN}`);
    expect(created.log.replace(`::add-mask::${FAKE_GITHUB_TOKEN}`, '')).not.toContain(FAKE_GITHUB_TOKEN);
  });

  it('is written with the github-token given', async () => {
    const before = github.requests.length;

    await runAction(
      {
        'job-id': emulator.addBatch(),
        ...credentials(),
        comment: 'true',
        'github-token': 'ghs_anotherToken987654321',
      },
      { env: github.pullRequestEnv(eventPath) },
    );

    const sent = github.requests.slice(before).map((request) => request.authorization);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set(['token ghs_anotherToken987654321']));
  });

  it('is skipped on an event that is not a pull request', async () => {
    const before = github.requests.length;

    const run = await runAction(
      { 'job-id': emulator.addBatch(), ...credentials(), comment: 'true' },
      { env: github.pullRequestEnv(eventPath, 'workflow_dispatch') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('No pull request comment: the event is workflow_dispatch');
    expect(github.requests.length).toBe(before);
  });

  it("only warns, naming the permission to grant, when the token may not comment (a fork's)", async () => {
    github.readOnly = true;
    try {
      const run = await runAction(
        { 'job-id': emulator.addBatch(), ...credentials(), comment: 'true' },
        { env: github.pullRequestEnv(eventPath) },
      );

      expect(run.exitCode).toBe(0);
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain('Could not comment on the pull request (HTTP 403)');
      expect(run.warnings[0]).toContain('permissions: pull-requests: write');
    } finally {
      github.readOnly = false;
    }
  });
});

describe('guard mode', () => {
  it('records the batches in the main step without sending anything', async () => {
    const id = emulator.addBatch();
    const before = emulator.requests.length;

    const run = await runAction({ 'job-id': id, ...credentials(), guard: 'true' });

    expect(run.exitCode).toBe(0);
    expect(run.state).toEqual({ isPost: 'true', guardedJobs: JSON.stringify([id]) });
    expect(run.outputs['job-id']).toBe(id);
    expect(emulator.requests.length).toBe(before);
  });

  it('cancels in the post step a batch still running, and leaves a finished one alone', async () => {
    const running = emulator.addBatch({ status: 'Running' });
    const finished = emulator.addBatch({ status: 'Succeeded', succeeded: 1, documents: 1 });
    const inputs = { 'job-id': `${running}\n${finished}`, ...credentials(), guard: 'true' };
    const main = await runAction(inputs);

    const post = await runAction(inputs, { state: main.state });

    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([]);
    expect(emulator.batchStatus(running)).toMatchObject({ status: 'Cancelling' });
    expect(emulator.requests.filter((r) => r.path.endsWith(finished)).map((r) => r.method)).toEqual(['GET']);
    expect(post.log).toContain(
      `Batch ${finished} is Succeeded (1 documents translated, 0 cancelled, 0 characters charged): left alone.`,
    );
    expect(post.summary).toContain('<h2>Guard: translations left running when the job ended</h2>');
    expect(post.summary).toContain(`<td><code>${running}</code></td><td>Cancelling → cancel requested</td>`);
  });

  it('has a post step that does nothing, and sends nothing, when guard was not set', async () => {
    const before = emulator.requests.length;

    const post = await runAction(
      { 'job-id': emulator.addBatch(), ...credentials() },
      { state: { isPost: 'true' } },
    );

    expect(post.exitCode).toBe(0);
    expect(post.log).toBe('');
    expect(emulator.requests.length).toBe(before);
  });

  it('does not go with stale-after', async () => {
    const run = await runAction({ 'stale-after': '2h', ...credentials(), guard: 'true' });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('guard watches the batches given in job-id or operation-location');
  });
});
