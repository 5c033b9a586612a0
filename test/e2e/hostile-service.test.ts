// What a hostile or careless service's text can make the action write, end to end through the bundle:
// workflow commands anywhere in a line (`##[…]`), SAS tokens in URLs, @-mentions in the pull request
// comment, header values of any length, and a URL password with a space in an input. Under every
// error policy, none of it acts, leaks or floods.
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT } from '../../scripts/emulator/github-api.ts';
import { runAction } from '../../scripts/run-action.ts';
import { usePullRequestWorld } from '../support/pull-request.ts';
import { expectCleanLog, expectOneLineFailure } from '../support/run-checks.ts';

const world = usePullRequestWorld();
const { emulator, github } = world;
const SIGNATURE = 'c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
const SAS_URL = `https://contosodocs.blob.core.windows.net/source?sv=2022-11-02&se=2026-12-31&sp=rl&sig=${SIGNATURE}`;
const HOSTILE = `##[error]owned ##[stop-commands]x; source ${SAS_URL} is not readable; ask @octocat`;

/** Everything the run wrote that a person or the runner reads (not the runner's own add-mask commands). */
function written(run: { log: string; summary: string; outputs: Record<string, string> }): string {
  const log = run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [log, run.summary, JSON.stringify(run.outputs)].join('\n');
}

type CancelAnswer = Omit<Parameters<typeof emulator.addFault>[0], 'batchId' | 'method'>;

/** A cancel, without retries, of a running batch whose cancel gets `answer`. */
function cancelAnswered(answer: CancelAnswer) {
  const id = emulator.addBatch({ status: 'Running' });
  emulator.addFault({ batchId: id, method: 'DELETE', ...answer });
  return runAction({ 'job-id': id, ...world.credentials(), 'max-retries': '0' });
}

describe('service text that tries to act, leak or mention', () => {
  it.each(['', '*: warn', '*: ignore'])('is printed inert under error-policy %j', async (policy) => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 404,
      body: JSON.stringify({
        error: { code: 'ResourceNotFound', message: HOSTILE, innerError: { message: HOSTILE } },
      }),
    });

    const run = await runAction(
      { 'job-id': id, ...world.credentials(), 'error-policy': policy, 'max-retries': '0', comment: 'true' },
      { env: world.pullRequestEnv(61) },
    );

    expect(run.log.split('\n').filter((line) => line.includes('##['))).toEqual([]);
    expect(run.log).toContain('owned');
    expect(written(run)).not.toContain(SIGNATURE);
    expect(written(run)).toContain('https://contosodocs.blob.core.windows.net/source?(SAS token removed)');
    const comment = github.commentsOn(61).find((each) => each.user.login === ACTIONS_BOT)?.body ?? '';
    expect(comment).not.toContain(SIGNATURE);
    expect(comment).not.toMatch(/@octocat/);
    // An ignored error is not among what needs a look: its words are in the log alone.
    if (policy !== '*: ignore') expect(comment).toContain('@&#8203;octocat');
    expectCleanLog(run);
  });

  it("a redirect's Location with a SAS token: the token is not printed", async () => {
    const run = await cancelAnswered({ status: 302, headers: { location: SAS_URL }, body: '' });

    expect(run.outputs['error-code']).toBe('UnexpectedResponse');
    expect(written(run)).not.toContain(SIGNATURE);
    expect(run.outputs['error-message']).toContain(
      'redirect to https://contosodocs.blob.core.windows.net/source?(SAS token removed)',
    );
  });

  it('an apim-request-id of 15,000 characters is cut wherever it is printed', async () => {
    const run = await cancelAnswered({ status: 404, headers: { 'apim-request-id': 'r'.repeat(15_000) } });

    expect((run.outputs['request-id'] ?? '').length).toBeLessThanOrEqual(303);
    expect(Math.max(...run.log.split('\n').map((line) => line.length))).toBeLessThan(2_000);
    expect(run.summary).not.toContain('r'.repeat(400));
  });
});

describe('a password with a space in a URL input', () => {
  it('is refused in one line and never printed', async () => {
    const run = await runAction({
      'job-id': emulator.addBatch(),
      endpoint: 'https://svc:Hunter2 secret@contoso.cognitiveservices.azure.com/',
      'subscription-key': emulator.subscriptionKey,
    });

    expectOneLineFailure(
      run,
      'endpoint has a user name or password in its URL (host "contoso.cognitiveservices.azure.com")',
    );
    expect(written(run)).not.toContain('Hunter2');
  });
});
