// Who the ledger trusts, end to end through the bundle: a pull request that gets no secrets (a fork's,
// Dependabot's) closes green when it recorded nothing; a record copied from another pull request, or
// quoted inside another workflow's comment, or recorded without a key, cancels nothing and is said once.
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT } from '../../scripts/emulator/github-api.ts';
import { runAction } from '../../scripts/run-action.ts';
import { usePullRequestWorld } from '../support/pull-request.ts';

const { emulator, github, pullRequestEnv, credentials, cancelsOf } = usePullRequestWorld();

describe('a pull request that gets no secrets (from a fork, or from Dependabot)', () => {
  it('closes green without a credential when its ledger holds nothing to stop, and says so', async () => {
    const run = await runAction(
      { 'from-pull-request': 'true', endpoint: '' },
      { env: pullRequestEnv(71, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.log).toContain(
      '::notice::No translations are recorded on pull request #71: nothing to cancel. The step has no credential, and needs none.',
    );
  });

  it('fails as before, naming the batches, when its ledger does hold batches to stop', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    await runAction({ 'job-id': id, ...credentials(), track: 'true' }, { env: pullRequestEnv(72) });

    const run = await runAction({ 'from-pull-request': 'true' }, { env: pullRequestEnv(72, 'closed') });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      expect.stringContaining(
        'Pull request #72 recorded 1 batch that may still be running, and the step has no credential to stop them. No credential:',
      ),
    ]);
    expect(run.outputs['error-code']).toBe('InvalidInput');
    expect(cancelsOf([id])).toBe(0);
  });
});

describe("the ledger's trust: a record copied elsewhere cancels nothing", () => {
  it("a record copied from one pull request's ledger into a comment by the same bot on another: not cancelled, said once", async () => {
    const theirs = emulator.addBatch({ status: 'Running' });
    await runAction({ 'job-id': theirs, ...credentials(), track: 'true' }, { env: pullRequestEnv(41) });
    const copied = github.commentsOn(41)[0]?.body ?? '';
    // Another workflow's comment by the workflow token's bot, echoing what the pull request says.
    github.addComment(42, ACTIONS_BOT, copied);

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(42, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(cancelsOf([theirs])).toBe(0);
    expect(run.warnings).toEqual([
      "1 batch in comments on pull request #42 carry a seal that is not this pull request's under this step's subscription-key (a record copied from another pull request, or recorded with another key): not cancelled.",
    ]);
  });

  it("a record quoted inside another workflow's comment by the same bot is not the ledger, and is not rewritten", async () => {
    const id = emulator.addBatch({ status: 'Running' });
    await runAction({ 'job-id': id, ...credentials(), track: 'true' }, { env: pullRequestEnv(43) });
    const quoted = `Thanks for the pull request! You wrote:\n${github.commentsOn(43)[0]?.body ?? ''}`;
    const other = github.addComment(44, ACTIONS_BOT, quoted);

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(44, 'closed') },
    );

    expect(run.exitCode).toBe(0);
    expect(cancelsOf([id])).toBe(0);
    expect(github.commentsOn(44).find((comment) => comment.id === other.id)?.body).toBe(quoted);
    expect(run.warnings[0]).toContain(
      "1 comments on pull request #44 carry this action's marker but are not its ledger",
    );
  });

  it('a batch recorded by a step without a key is not cancelled by a close with one, and is said once', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    await runAction({ 'job-id': id, endpoint: emulator.url, track: 'true' }, { env: pullRequestEnv(45) });

    const run = await runAction(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(45, 'closed') },
    );

    expect(cancelsOf([id])).toBe(0);
    expect(run.warnings).toEqual([
      "1 batch in pull request #45's ledger carry no seal (recorded by a step without a subscription-key), so this step cannot tell that this pull request started them: not cancelled; stop them with job-id if it did.",
    ]);
  });
});
