// A pull request's world for end-to-end tests: the service emulator, a GitHub emulator that keeps
// GitHub's limits, pull_request events, and what the action's comments and the service saw.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ACTIONS_BOT, GitHubApiEmulator } from '../../scripts/emulator/github-api.ts';
import { FAKE_GITHUB_TOKEN } from '../../scripts/run-action.ts';
import { type LedgerEntry, ledgerMarker, MARKER, readLedger } from '../../src/github/ledger.ts';
import { sealed, sealKeyOf } from '../../src/github/ledger-seal.ts';
import { useEmulator } from './emulator-fixture.ts';

/** Both emulators, started before the file's tests and stopped after, and what tests ask of them. */
export function usePullRequestWorld() {
  const emulator = useEmulator({ cancelDelayMs: 600_000 });
  const github = new GitHubApiEmulator({ [FAKE_GITHUB_TOKEN]: ACTIONS_BOT });
  const events = mkdtempSync(join(tmpdir(), 'events-'));
  beforeAll(() => github.start());
  afterAll(() => github.stop());

  return {
    emulator,
    github,

    /** The runner's environment for a pull_request event (`closed` is a merge) in run `runId`. */
    pullRequestEnv(number: number, action = 'synchronize', runId = 4242): Record<string, string> {
      // A file per run: runs started at once must not read one another's file while it is written.
      const path = join(events, `pr-${number}-${action}-${runId}.json`);
      const pullRequest = { number, merged: action === 'closed', base: { ref: 'main' } };
      writeFileSync(path, JSON.stringify({ action, number, pull_request: pullRequest }));
      return { ...github.pullRequestEnv(path), GITHUB_RUN_ID: String(runId) };
    },

    credentials(): Record<string, string> {
      return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
    },

    /** Every batch the action's comments on `number` record, across all of them. */
    ledgerOn(number: number): LedgerEntry[] {
      return github
        .commentsOn(number)
        .filter((comment) => comment.user.login === ACTIONS_BOT)
        .flatMap((comment) => readLedger(comment.body)?.entries ?? []);
    },

    /** How many cancels the service got for `ids`. */
    cancelsOf(ids: readonly string[]): number {
      const wanted = new Set(ids);
      return emulator.requests.filter(
        (request) => request.method === 'DELETE' && wanted.has(request.path.split('/').pop() ?? ''),
      ).length;
    },

    /** How many writes GitHub refused (422), and the longest comment body it holds. */
    githubLimits(): { refused: number; longest: number } {
      return {
        refused: github.requests.filter((request) => request.status === 422).length,
        longest: Math.max(0, ...github.comments.map((comment) => comment.body.length)),
      };
    },

    /** `count` running batches on the service, as `track` runs of five would have recorded them. */
    seededEntries(count: number): LedgerEntry[] {
      const start = Date.parse('2026-11-01T00:00:00Z');
      return Array.from({ length: count }, (_, index) => {
        const at = new Date(start + index * 1_000).toISOString();
        return {
          id: emulator.addBatch({ status: 'Running', documents: 2 }),
          serviceBase: emulator.url,
          run: `https://github.test/octo/app/actions/runs/${19_000_000_000 + Math.floor(index / 5)}`,
          recordedAt: at,
          status: 'Running',
          outcome: 'tracked',
          updatedAt: at,
        };
      });
    },

    /**
     * The action's comments on `number` holding `entries`, `perComment` batches each, written directly,
     * sealed for that pull request under the emulator's key as a track run with it seals them.
     */
    seedLedger(number: number, entries: readonly LedgerEntry[], perComment = 1_000): void {
      const key = sealKeyOf({ kind: 'key', subscriptionKey: emulator.subscriptionKey });
      const seals = sealed(entries, key, { repository: 'octo/app', pullRequest: number });
      for (let at = 0; at < seals.length; at += perComment) {
        const held = seals.slice(at, at + perComment);
        github.addComment(number, ACTIONS_BOT, `${MARKER}\n${ledgerMarker(held)}\nseeded`);
      }
    },
  };
}
