// The action's one comment on a pull request: found again by a hidden marker and edited on later
// runs, holding the last run's report and the pull request's ledger. Only comments written by the
// identity of github-token count: anyone may comment on a pull request, and a marker in their comment
// must not steer what is cancelled. Loaded only when a comment or the ledger is used; GITHUB_API_URL
// is honoured, so GitHub Enterprise Server works.
import { setTimeout as delay } from 'node:timers/promises';
import * as github from '@actions/github';
import { inertText } from './html.ts';
import { holdsAll, type LedgerEntry, ledgerMarker, mergeLedgers, readLedger } from './ledger.ts';
import { InputError } from './user-errors.ts';

const MARKER = '<!-- cancel-document-translation -->';
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
// The workflow token's user; an installation token may not ask who it is.
const ACTIONS_BOT = 'github-actions[bot]';
// GitHub has no compare-and-swap for comments: a write is checked by reading it back, and tried
// again (merged with what others wrote meanwhile) this many times.
const MAX_WRITES = 5;

type Octokit = ReturnType<typeof github.getOctokit>;
type Comment = Awaited<ReturnType<Octokit['rest']['issues']['listComments']>>['data'][number];

export function eventName(): string {
  return github.context.eventName;
}

/** The pull request this step is about: `given` (the pull-request input), else the event's. */
export function pullRequestNumber(given: number | undefined): number | undefined {
  if (given !== undefined) return given;
  const { context } = github;
  if (!PULL_REQUEST_EVENTS.includes(context.eventName)) return undefined;
  return context.payload.pull_request?.number;
}

/** The pull request, or an error that says how to name one. */
export function requirePullRequest(given: number | undefined, needs: string): number {
  const number = pullRequestNumber(given);
  if (number === undefined) {
    throw new InputError(
      `${needs} needs a pull request, and this ${github.context.eventName} event has none: set pull-request to its number.`,
    );
  }
  return number;
}

/** The link to this workflow run, for the ledger's "started by". */
export function currentRunUrl(): string | undefined {
  const { serverUrl, runId } = github.context;
  const repository = process.env.GITHUB_REPOSITORY;
  return repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined;
}

/** The comment's last line: the run and the commit that last updated it, and when. */
export function updatedBy(): string {
  const run = currentRunUrl();
  const { runId, sha } = github.context;
  const when = new Date()
    .toISOString()
    .replace(/:\d\d\.\d+Z$/, ' UTC')
    .replace('T', ' ');
  const link = run ? `<a href="${inertText(run)}">run ${runId}</a>` : 'a run';
  const commit = sha ? ` at commit <code>${inertText(sha.slice(0, 7))}</code>` : '';
  return `<p><sub>Updated by ${link}${commit} on ${when}.</sub></p>`;
}

export interface PullRequestComment {
  ledger: LedgerEntry[];
  /** Comments by others that carry the marker: ignored. */
  foreign: number;
  /** Ledger entries that could not be read: ignored. */
  unreadable: number;
}

class CommentThread {
  readonly #octokit: Octokit;
  readonly #number: number;
  #author?: string;

  constructor(token: string, number: number) {
    this.#octokit = github.getOctokit(token);
    this.#number = number;
  }

  get #repo() {
    return github.context.repo;
  }

  /** Who github-token is: the login of a user's token, or the workflow token's bot. */
  async #whoAmI(): Promise<string> {
    if (this.#author) return this.#author;
    try {
      this.#author = (await this.#octokit.rest.users.getAuthenticated()).data.login;
    } catch {
      this.#author = ACTIONS_BOT;
    }
    return this.#author;
  }

  /** The comments that carry the marker: ours, oldest first, and how many others wrote. */
  async read(): Promise<{ ours: Comment[]; foreign: number }> {
    const author = await this.#whoAmI();
    const comments = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, {
      ...this.#repo,
      issue_number: this.#number,
      per_page: 100,
    });
    const marked = comments.filter((comment) => comment.body?.includes(MARKER));
    const ours = marked.filter((comment) => comment.user?.login === author).sort((a, b) => a.id - b.id);
    return { ours, foreign: marked.length - ours.length };
  }

  /** Writes `body` into the oldest of `ours` (or a new comment); the others, merged in, are removed. */
  async write(ours: readonly Comment[], body: string): Promise<string> {
    const [kept, ...merged] = ours;
    let url: string;
    if (kept) {
      await this.#octokit.rest.issues.updateComment({ ...this.#repo, comment_id: kept.id, body });
      url = kept.html_url;
    } else {
      const created = await this.#octokit.rest.issues.createComment({
        ...this.#repo,
        issue_number: this.#number,
        body,
      });
      url = created.data.html_url;
    }
    for (const comment of merged) {
      try {
        await this.#octokit.rest.issues.deleteComment({ ...this.#repo, comment_id: comment.id });
      } catch (error) {
        // Another run merged and removed it first.
        if ((error as { status?: number }).status !== 404) throw error;
      }
    }
    return `${kept ? 'Updated the comment' : 'Commented'} on pull request #${this.#number}: ${url}`;
  }
}

function ledgerOf(ours: readonly Comment[]): { entries: LedgerEntry[]; unreadable: number } {
  const read = ours.map((comment) => readLedger(comment.body ?? '') ?? { entries: [], unreadable: 0 });
  return {
    entries: mergeLedgers(...read.map((ledger) => ledger.entries)),
    unreadable: read.reduce((total, ledger) => total + ledger.unreadable, 0),
  };
}

/** The pull request's ledger, as this action wrote it. */
export async function readPullRequestLedger(token: string, number: number): Promise<PullRequestComment> {
  const { ours, foreign } = await new CommentThread(token, number).read();
  const { entries, unreadable } = ledgerOf(ours);
  return { ledger: entries, foreign, unreadable };
}

export interface CommentUpdate {
  /** The ledger entries to add or change, given the ledger as it is. */
  changes: (ledger: readonly LedgerEntry[]) => LedgerEntry[];
  /** What people read, given the ledger as it will be. */
  render: (ledger: readonly LedgerEntry[]) => string;
}

/**
 * Writes the comment, keeping what others recorded meanwhile: reads, merges, writes, reads back,
 * and tries again until the changes are there. Says what it did, in words for the log.
 */
export async function updatePullRequestComment(
  token: string,
  number: number,
  update: CommentUpdate,
): Promise<string> {
  const thread = new CommentThread(token, number);
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const { ours } = await thread.read();
    const known = ledgerOf(ours).entries;
    const changes = update.changes(known);
    const ledger = mergeLedgers(known, changes);
    const hidden = ledger.length > 0 ? `\n${ledgerMarker(ledger)}` : '';
    const said = await thread.write(ours, `${MARKER}${hidden}\n${update.render(ledger)}`);
    if (changes.length === 0) return said;
    // A run that read the comment before this write writes its own about as long after its read:
    // waiting that long before reading back catches it overwriting these changes.
    await delay(2 * (Date.now() - started) + 50);
    if (holdsAll(ledgerOf((await thread.read()).ours).entries, changes)) return said;
    if (attempt >= MAX_WRITES) {
      throw new Error(
        `another run kept rewriting the comment on pull request #${number}; ${changes.length} batches may be missing from its ledger`,
      );
    }
    // Apart, so that two runs that collided do not collide again.
    await delay(150 * attempt + Math.random() * 250);
  }
}
