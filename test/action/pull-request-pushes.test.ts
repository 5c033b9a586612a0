// A busy pull request pushed to 40 times, each push starting 5 translations, the action run in
// process against a GitHub emulator that refuses a comment over 65,536 characters, as GitHub does:
// every track run records its batches (the ledger used to overflow at about 120), and the close
// cancels them all. In a file of its own, so that it runs beside busy-pull-request.test.ts.
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH } from '../../scripts/emulator/github-api.ts';
import { usePullRequestWorld } from '../support/pull-request.ts';
import { runInProcess } from '../support/run-in-process.ts';

const { emulator, pullRequestEnv, credentials, ledgerOn, cancelsOf, githubLimits } = usePullRequestWorld();

describe('a pull request pushed to 40 times', () => {
  it('records 40 pushes of 5 batches and cancels all 200 at close, every body within the limit', async () => {
    const ids: string[] = [];
    for (let push = 0; push < 40; push++) {
      const five = Array.from({ length: 5 }, () => emulator.addBatch({ status: 'Running' }));
      ids.push(...five);
      const run = await runInProcess(
        { 'job-id': five.join('\n'), ...credentials(), track: 'true' },
        { env: pullRequestEnv(101, 'synchronize', 5_000 + push) },
      );
      expect(run.exitCode).toBe(0);
    }
    expect(new Set(ledgerOn(101).map((entry) => entry.id))).toEqual(new Set(ids));

    const close = await runInProcess(
      { ...credentials(), 'from-pull-request': 'true' },
      { env: pullRequestEnv(101, 'closed') },
    );

    expect(close.exitCode).toBe(0);
    expect(close.outputs.outcome).toBe('cancel-requested');
    expect(cancelsOf(ids)).toBe(200);
    expect(ledgerOn(101).filter((entry) => entry.status === 'Cancelling')).toHaveLength(200);
    expect(githubLimits()).toEqual({ refused: 0, longest: expect.any(Number) });
    expect(githubLimits().longest).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
  }, 60_000);
});
