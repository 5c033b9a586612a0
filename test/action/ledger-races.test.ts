// Runs writing the ledger at once, in process against the GitHub emulator, each race played out in a
// set order (GitHub has no compare-and-swap for comments): a rewrite that leaves late, as on a busy
// runner, checks the comment first and keeps what another run wrote meanwhile; a batch a run has read
// that another run's write dropped is put back; a run that others keep from writing keeps its batch
// in a comment of its own when its time runs out; a comment another run removed is no failure.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ACTIONS_BOT, GitHubApiEmulator } from '../../scripts/emulator/github-api.ts';
import { FAKE_GITHUB_TOKEN } from '../../scripts/run-action.ts';
import { type LedgerEntry, ledgerMarker, MARKER, readLedger } from '../../src/github/ledger.ts';
import { requestLimits } from '../../src/service/retry.ts';
import { ledgerEntries } from '../support/ledger-entries.ts';

const github = new GitHubApiEmulator({ [FAKE_GITHUB_TOKEN]: ACTIONS_BOT });
let updatePullRequestComment: typeof import('../../src/github/ledger-comments.ts').updatePullRequestComment;
beforeAll(async () => {
  await github.start();
  vi.stubEnv('GITHUB_API_URL', github.url);
  vi.stubEnv('GITHUB_REPOSITORY', 'octo/app');
  // @actions/github reads GITHUB_API_URL once, as it loads.
  ({ updatePullRequestComment } = await import('../../src/github/ledger-comments.ts'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await github.stop();
});
afterEach(() => {
  github.onAnswer = undefined;
});

const [a, b, x, mine] = ledgerEntries(4) as [LedgerEntry, LedgerEntry, LedgerEntry, LedgerEntry];

/** A body of the action's comment that holds `entries`, as a run writes it. */
const bodyHolding = (entries: readonly LedgerEntry[], view = 'the ledger') =>
  `${MARKER}\n${ledgerMarker(entries)}\n${view}`;

/**
 * Holds this process up, as a busy runner does (nothing else in it runs meanwhile), for longer than
 * it has been since `since`, which the read before it falls within: a rewrite then leaves late
 * however slow the machine made that read.
 */
function holdUpLongerThanSince(since: number): void {
  const ms = Math.max(100, 2 * (Date.now() - since));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Records `mine` in pull request `number`'s ledger as a track run does, in a step of `timeoutSeconds`;
 * `render` is called before each write.
 */
function recordMine(number: number, render: () => void = () => {}, timeoutSeconds = 60): Promise<string> {
  const limits = requestLimits({ maxRetries: 2, timeoutSeconds }, new AbortController().signal, () => {});
  const changes = () => [mine];
  return updatePullRequestComment(
    FAKE_GITHUB_TOKEN,
    number,
    {
      changes,
      render: () => {
        render();
        return 'the ledger';
      },
    },
    limits,
  );
}

const idsOn = (number: number) =>
  github
    .commentsOn(number)
    .flatMap((comment) => readLedger(comment.body)?.entries.map((entry) => entry.id) ?? []);

describe('runs writing the ledger at once', () => {
  it('a rewrite that leaves late (a busy runner) checks the comment first, and keeps what another run wrote meanwhile', async () => {
    const comment = github.addComment(501, ACTIONS_BOT, bodyHolding([a]));
    let renders = 0;
    const started = Date.now();

    await recordMine(501, () => {
      if (renders++ > 0) return;
      // Another run's write lands after this run read the comment; then this run is held up.
      comment.body = bodyHolding([a, x]);
      holdUpLongerThanSince(started);
    });

    expect(new Set(idsOn(501))).toEqual(new Set([a.id, x.id, mine.id]));
    // Checked at least once: on a busy machine the write after the read again may be late too.
    const checks = github.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith(`/${comment.id}`),
    );
    expect(checks.length).toBeGreaterThanOrEqual(1);
    expect(github.commentsOn(501)).toHaveLength(1);
  });

  it('a batch this run read, which a write from an older read then dropped, is put back', async () => {
    const comment = github.addComment(502, ACTIONS_BOT, bodyHolding([a, b]));
    github.onAnswer = (request) => {
      if (request.method !== 'PATCH') return;
      github.onAnswer = undefined;
      // A run that read before anything but `a` was recorded writes just after this run.
      comment.body = bodyHolding([a]);
    };

    await recordMine(502);

    expect(new Set(idsOn(502))).toEqual(new Set([a.id, b.id, mine.id]));
    expect(github.commentsOn(502)).toHaveLength(1);
  });

  it('a run that other runs keep from writing keeps its batch in a comment of its own when its time runs out, and does not fail', async () => {
    const comment = github.addComment(504, ACTIONS_BOT, bodyHolding([a]));
    let rewrites = 0;
    github.onAnswer = (request) => {
      // Another run rewrites the comment after each read of this run's.
      if (request.method === 'GET' && request.path.endsWith('/504/comments')) {
        comment.body = bodyHolding([a], `the ledger, rewritten ${++rewrites} times`);
      }
    };

    let since = Date.now();
    const said = await recordMine(
      504,
      () => {
        holdUpLongerThanSince(since);
        since = Date.now();
      },
      3,
    );

    expect(said).toContain('stays in a comment of its own until a later run folds it in');
    expect(
      github.requests.filter(
        (request) => request.method === 'PATCH' && request.path.endsWith(`/${comment.id}`),
      ),
    ).toEqual([]);
    expect(new Set(idsOn(504))).toEqual(new Set([a.id, mine.id]));
    expect(github.commentsOn(504)).toHaveLength(2);
  });

  it('a comment another run removed after this run read it is written anew, with the batches it held', async () => {
    const comment = github.addComment(503, ACTIONS_BOT, bodyHolding([a]));
    github.onAnswer = (request) => {
      if (request.method !== 'GET') return;
      github.onAnswer = undefined;
      github.comments.splice(github.comments.indexOf(comment), 1);
    };

    await expect(recordMine(503)).resolves.toMatch(/^Commented on pull request #503/);

    expect(new Set(idsOn(503))).toEqual(new Set([a.id, mine.id]));
    expect(github.commentsOn(503)).toHaveLength(1);
  });
});
