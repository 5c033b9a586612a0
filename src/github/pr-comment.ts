import * as github from '@actions/github';
import { inertText } from '../common/html.ts';
import { errorText, InputError } from '../common/user-errors.ts';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
// The workflow token's user; an installation token may not ask who it is.
const ACTIONS_BOT = 'github-actions[bot]';

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

/** One of the comments that carry the marker, as GitHub gives it. */
export interface MarkedComment {
  id: number;
  body: string;
  /** Where people find it, for a warning about it. */
  url: string;
}

/** What to write to the action's comments, and in which order. */
export interface CommentPlan {
  /** The comment people read, when it exists already. */
  mainId: number | undefined;
  /** How many comments hold the ledger once the plan is carried out. */
  comments: number;
  /** New bodies for existing comments, oldest first: a batch that moves is written before it is removed. */
  updates: Array<{ id: number; body: string }>;
  /** Bodies of new comments, in order. */
  creates: string[];
  /** Comments left holding nothing, removed last. */
  deletes: number[];
}

/** The action's comments on one pull request, as GitHub keeps them. */
export class CommentThread {
  readonly #octokit: Octokit;
  readonly #number: number;
  readonly #marker: string;
  #author?: string;

  /** The comments on pull request `number` that carry `marker`. */
  constructor(token: string, number: number, marker: string) {
    this.#octokit = github.getOctokit(token);
    this.#number = number;
    this.#marker = marker;
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
  async read(): Promise<{ ours: MarkedComment[]; foreign: number }> {
    const author = await this.#whoAmI();
    const comments: Comment[] = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, {
      ...this.#repo,
      issue_number: this.#number,
      per_page: 100,
    });
    const marked = comments.filter((comment) => comment.body?.includes(this.#marker));
    const ours = marked
      .filter((comment) => comment.user?.login === author)
      .sort((a, b) => a.id - b.id)
      .map((comment) => ({ id: comment.id, body: comment.body ?? '', url: comment.html_url }));
    return { ours, foreign: marked.length - ours.length };
  }

  /** Carries out `plan`; says where the comment people read is. */
  async write(ours: readonly MarkedComment[], plan: CommentPlan): Promise<string> {
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

/** Why GitHub refused, and what to do, as the end of a sentence that starts with what could not be done. */
export function describeGitHubError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const text = errorText(error).replace(/\.$/, '');
  const advice =
    status === 401 || status === 403 || status === 404
      ? 'Grant the job `permissions: pull-requests: write`; a pull request from a fork gets a read-only token.'
      : status === 422
        ? 'GitHub refused what was written; tell the maintainers of this action.'
        : 'Run the job again; if it fails the same way, tell the maintainers of this action.';
  return `${status ? ` (HTTP ${status})` : ''}: ${text}. ${advice}`;
}
