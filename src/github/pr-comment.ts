// The action's one comment on a pull request: found again by a hidden marker and edited on later
// runs, holding the last run's report and the pull request's ledger. Only comments written by the
// identity of github-token count: anyone may comment on a pull request, and a marker in their comment
// must not steer what is cancelled. Loaded only when a comment or the ledger is used; GITHUB_API_URL
// is honoured, so GitHub Enterprise Server works.
import { setTimeout as delay } from 'node:timers/promises';
import * as github from '@actions/github';
import { inertText } from '../common/html.ts';
import { grouped } from '../common/numbers.ts';
import { InputError } from '../common/user-errors.ts';
import { holdsAll, type LedgerEntry, mergeLedgers } from './ledger.ts';
import {
  type CommentPlan,
  isUnreadable,
  MARKER,
  type OurComment,
  ourComment,
  planComments,
} from './ledger-comments.ts';

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

interface PullRequestComment {
  ledger: LedgerEntry[];
  /** Comments by others that carry the marker: ignored. */
  foreign: number;
  /** Ledger entries that could not be read: ignored. */
  unreadable: number;
  /** The action's comments whose whole record could not be read (edited by hand): left as they are. */
  unreadableComments: string[];
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
  async read(): Promise<{ ours: OurComment[]; foreign: number }> {
    const author = await this.#whoAmI();
    const comments: Comment[] = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, {
      ...this.#repo,
      issue_number: this.#number,
      per_page: 100,
    });
    const marked = comments.filter((comment) => comment.body?.includes(MARKER));
    const ours = marked
      .filter((comment) => comment.user?.login === author)
      .sort((a, b) => a.id - b.id)
      .map((comment) => ourComment(comment.id, comment.body ?? '', comment.html_url));
    return { ours, foreign: marked.length - ours.length };
  }

  /** Carries out `plan`; says where the comment people read is. */
  async write(ours: readonly OurComment[], plan: CommentPlan): Promise<string> {
    for (const { id, body } of plan.updates) {
      await this.#octokit.rest.issues.updateComment({ ...this.#repo, comment_id: id, body });
    }
    const created: string[] = [];
    for (const body of plan.creates) {
      const comment = await this.#octokit.rest.issues.createComment({
        ...this.#repo,
        issue_number: this.#number,
        body,
      });
      created.push(comment.data.html_url);
    }
    for (const id of plan.deletes) {
      try {
        await this.#octokit.rest.issues.deleteComment({ ...this.#repo, comment_id: id });
      } catch (error) {
        // Another run emptied and removed it first.
        if ((error as { status?: number }).status !== 404) throw error;
      }
    }
    const main = ours.find((comment) => comment.id === plan.mainId);
    const more = plan.comments > 1 ? ` (its ledger goes on in ${plan.comments - 1} more)` : '';
    return `${main ? 'Updated the comment' : 'Commented'} on pull request #${this.#number}: ${main?.url ?? created[0]}${more}`;
  }
}

function ledgerOf(ours: readonly OurComment[]): Omit<PullRequestComment, 'foreign'> {
  const read = ours.map((comment) => comment.ledger ?? { entries: [], unreadable: 0 });
  return {
    ledger: mergeLedgers(...read.map((ledger) => ledger.entries)),
    unreadable: read.reduce((total, ledger) => total + ledger.unreadable, 0),
    unreadableComments: ours.filter(isUnreadable).map((comment) => comment.url),
  };
}

/** The pull request's ledger, as this action wrote it. */
export async function readPullRequestLedger(token: string, number: number): Promise<PullRequestComment> {
  const { ours, foreign } = await new CommentThread(token, number).read();
  return { ...ledgerOf(ours), foreign };
}

interface CommentUpdate {
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
    const known = ledgerOf(ours).ledger;
    const changes = update.changes(known);
    const ledger = mergeLedgers(known, changes);
    const said = await thread.write(ours, planComments(ours, ledger, update.render(ledger)));
    if (changes.length === 0) return said;
    // A run that read the comment before this write writes its own about as long after its read:
    // waiting that long before reading back catches it overwriting these changes.
    await delay(2 * (Date.now() - started) + 50);
    if (holdsAll(ledgerOf((await thread.read()).ours).ledger, changes)) return said;
    if (attempt >= MAX_WRITES) {
      throw new Error(
        `another run kept rewriting the comment on pull request #${number}; ${grouped(changes.length)} batches may be missing from its ledger`,
      );
    }
    // Apart, so that two runs that collided do not collide again.
    await delay(150 * attempt + Math.random() * 250);
  }
}
