// GitHub's side of the pull request comment: the comments that carry the action's marker, read,
// written and removed, within GitHub's rate limits, a late rewrite checked first; and GitHub's
// refusals in words.
import * as github from '@actions/github';
import { errorText } from '../common/user-errors.ts';
import { backoffMs, formatSeconds, type RequestLimits, sleep } from '../service/retry.ts';

// The workflow token's user; an installation token may not ask who it is.
const ACTIONS_BOT = 'github-actions[bot]';

type Octokit = ReturnType<typeof github.getOctokit>;
type Comment = Awaited<ReturnType<Octokit['rest']['issues']['listComments']>>['data'][number];

/** One of the comments that carry the marker, as GitHub gives it. */
export interface MarkedComment {
  id: number;
  body: string;
  /** Where people find it, for a warning about it. */
  url: string;
  /** When it was created, in milliseconds. */
  createdAt: number;
}

// GitHub's rules for its rate limits (REST API docs, "Rate limits"): wait for retry-after; else,
// with x-ratelimit-remaining at 0, until x-ratelimit-reset; else at least a minute, longer each time.
const SECONDARY_WAIT_MS = 60_000;
// A request to GitHub that takes longer is given up and retried like a failure.
const GITHUB_REQUEST_TIMEOUT_MS = 30_000;
// A rewrite's body never comes from a read that started longer ago (ledger-comments.ts counts on it).
const STALE_READ_MS = 20_000;
// A rewrite leaves at most as long after its read ended as the read took, and never less than this
// long; a later one (a busy runner, a long render) first reads the comment again to see it unchanged.
// A run that wrote meanwhile waits longer than that before it reads its own write back.
const REWRITE_WINDOW_MS = 50;
// How many times a rewrite checks the comment before it gives up and reads all of them again.
const REWRITE_CHECKS = 3;

/** GitHub kept refusing for its rate limit longer than the step could wait. */
class RateLimited extends Error {
  override name = 'RateLimited';
}

/**
 * A comment write whose body came from a read that is no longer current (made before a rate limit's
 * wait, or the comment changed or went since): read again, then write.
 */
export class StaleWrite extends Error {
  override name = 'StaleWrite';
}

/** What Octokit throws for a refusal: GitHub's status, headers and message. */
interface GitHubError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: { message?: string } };
}

/**
 * How long GitHub asks to wait before retry number `retry`, and why; undefined for a refusal that no
 * wait mends (a missing permission, a 404, a 422).
 */
function waitBeforeRetry(error: GitHubError, retry: number): { ms: number; why: string } | undefined {
  const { status, response } = error;
  const headers = response?.headers ?? {};
  const message = response?.data?.message ?? error.message ?? '';
  const retryAfter = Number(headers['retry-after']);
  const primary = headers['x-ratelimit-remaining'] === '0';
  const limited =
    status === 429 ||
    (status === 403 && (primary || /rate limit/i.test(message) || headers['retry-after'] !== undefined));
  if (limited) {
    const why = primary ? "GitHub's rate limit for this token" : "GitHub's secondary rate limit";
    if (Number.isFinite(retryAfter) && headers['retry-after'] !== undefined)
      return { ms: retryAfter * 1000, why };
    const reset = Number(headers['x-ratelimit-reset']);
    // x-ratelimit-reset is in whole seconds: a little past it.
    if (primary && Number.isFinite(reset)) return { ms: Math.max(0, reset * 1000 - Date.now()) + 250, why };
    return { ms: SECONDARY_WAIT_MS * 2 ** (retry - 1), why };
  }
  if (status !== undefined && status >= 500)
    return { ms: backoffMs(retry), why: `GitHub answered HTTP ${status}` };
  return undefined;
}

/** A comment another run deleted is no error of this run's: a StaleWrite, read again. */
function staleWhenGone(error: unknown): never {
  if ((error as { status?: number }).status === 404) throw new StaleWrite('another run removed the comment');
  throw error;
}

/** When a read of the comments started and ended, in milliseconds. */
export interface ReadTime {
  startedAt: number;
  endedAt: number;
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
  readonly #limits: RequestLimits;
  /** Who wrote the action's comments, once known; the token's user, as /user says (null: it may not ask). */
  #author?: string;
  #tokenUser?: string | null;

  /**
   * The comments on pull request `number` that carry `marker`; every request to GitHub waits out its
   * rate limits and transient failures within `limits` (the step's time, retries and the runner's cancel).
   */
  constructor(token: string, number: number, marker: string, limits: RequestLimits) {
    this.#octokit = github.getOctokit(token);
    this.#number = number;
    this.#marker = marker;
    this.#limits = limits;
    this.#octokit.hook.wrap('request', (request, options) =>
      this.#withinLimits(options.method, (signal) =>
        request({ ...options, request: { ...options.request, signal } }),
      ),
    );
  }

  /** Sends a request to GitHub, waiting out what GitHub asks to wait for, within the step's limits. */
  async #withinLimits<T>(method: string, send: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const { deadline, interrupt, hardStop, maxRetries, log } = this.#limits;
    for (let retry = 1; ; retry++) {
      const timeout = AbortSignal.timeout(
        Math.max(1, Math.min(GITHUB_REQUEST_TIMEOUT_MS, deadline.remainingMs())),
      );
      const signal = AbortSignal.any([timeout, hardStop]);
      try {
        return await send(signal);
      } catch (error) {
        const wait = waitBeforeRetry(error as GitHubError, retry);
        if (!wait) throw error;
        const { status, response, message } = error as GitHubError;
        const said = `${wait.why} (HTTP ${status}${response?.data?.message ? `: ${response.data.message}` : ''})`;
        const rateLimited = status === 403 || status === 429;
        if (retry > maxRetries || interrupt.aborted || wait.ms >= deadline.remainingMs()) {
          if (!rateLimited) throw error;
          const left = `${formatSeconds(deadline.remainingMs())} of ${deadline.describe()} left`;
          throw new RateLimited(
            `${said}: it asks to wait ${formatSeconds(wait.ms)}, with ${left} after ${retry} tries`,
          );
        }
        log(`${said}; trying again in ${formatSeconds(wait.ms)} (retry ${retry} of ${maxRetries}).`);
        if (!(await sleep(wait.ms, interrupt)))
          throw new RateLimited(`${said}; the runner cancelled the step while waiting`);
        // A comment's new body came from a read made before the wait: it is read again first.
        if (method === 'PATCH') throw new StaleWrite(message ?? said);
      }
    }
  }

  get #repo() {
    return github.context.repo;
  }

  /**
   * Who github-token is: a user's token says; an installation token may not ask, and is the workflow
   * token's bot, or, when the action's comments here are all by one other bot, that bot (a GitHub
   * App's token). Once the action has written a comment, GitHub's answer says who wrote it.
   */
  async #whoAmI(marked: readonly Comment[]): Promise<string> {
    if (this.#author) return this.#author;
    if (this.#tokenUser === undefined) {
      try {
        this.#tokenUser = (await this.#octokit.rest.users.getAuthenticated()).data.login;
      } catch {
        this.#tokenUser = null;
      }
    }
    if (this.#tokenUser === null) {
      const bots = new Set(
        marked
          .filter((comment) => comment.body?.startsWith(this.#marker))
          .map((comment) => comment.user?.login ?? '')
          .filter((login) => login.endsWith('[bot]')),
      );
      const [only] = bots;
      return bots.size === 1 && only ? only : ACTIONS_BOT;
    }
    this.#author = this.#tokenUser;
    return this.#author;
  }

  /** The comments that carry the marker: ours, oldest first, how many others wrote, and when they were read. */
  async read(): Promise<{ ours: MarkedComment[]; foreign: number; readTime: ReadTime }> {
    const startedAt = Date.now();
    const comments: Comment[] = await this.#octokit.paginate(this.#octokit.rest.issues.listComments, {
      ...this.#repo,
      issue_number: this.#number,
      per_page: 100,
    });
    const marked = comments.filter((comment) => comment.body?.includes(this.#marker));
    const author = await this.#whoAmI(marked);
    // The action's comments start with the marker: another workflow's comment by the same bot that
    // quotes one (text a pull request controls) is not taken for the ledger, nor rewritten.
    const ours = marked
      .filter((comment) => comment.user?.login === author && comment.body?.startsWith(this.#marker))
      .sort((a, b) => a.id - b.id)
      .map((comment) => ({
        id: comment.id,
        body: comment.body ?? '',
        url: comment.html_url,
        createdAt: Date.parse(comment.created_at),
      }));
    return { ours, foreign: marked.length - ours.length, readTime: { startedAt, endedAt: Date.now() } };
  }

  /** A new comment with `body`: its id and where people find it; GitHub's answer says who wrote it. */
  async create(body: string): Promise<{ id: number; url: string }> {
    const comment = await this.#octokit.rest.issues.createComment({
      ...this.#repo,
      issue_number: this.#number,
      body,
    });
    this.#author = comment.data.user?.login ?? this.#author;
    return { id: comment.data.id, url: comment.data.html_url };
  }

  /** A StaleWrite unless comment `id` still holds `read`, checked when its rewrite would leave late. */
  async #checkUnchanged(id: number, read: string | undefined, readTime: ReadTime): Promise<void> {
    let checked = readTime;
    const late = () =>
      Date.now() - checked.endedAt > Math.max(checked.endedAt - checked.startedAt, REWRITE_WINDOW_MS);
    for (let check = 1; late(); check++) {
      if (check > REWRITE_CHECKS)
        throw new StaleWrite('this runner is too busy to rewrite the comment in time');
      const startedAt = Date.now();
      const now = await this.#octokit.rest.issues
        .getComment({ ...this.#repo, comment_id: id })
        .catch(staleWhenGone);
      if (now.data.body !== read) throw new StaleWrite('another run rewrote the comment');
      checked = { startedAt, endedAt: Date.now() };
    }
  }

  /** Deletes a comment of the action's; one already gone is not an error (another run removed it). */
  async delete(id: number): Promise<void> {
    try {
      await this.#octokit.rest.issues.deleteComment({ ...this.#repo, comment_id: id });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }

  /**
   * Carries out `plan`, made from `ours` as read at `readTime`, one write after another, as GitHub
   * asks. A rewrite that would start more than STALE_READ_MS after the read started, or of a comment
   * that changed or went since, is a StaleWrite. Says where the comment people read is.
   */
  async write(ours: readonly MarkedComment[], plan: CommentPlan, readTime: ReadTime): Promise<string> {
    for (const { id, body } of plan.updates) {
      if (Date.now() - readTime.startedAt > STALE_READ_MS) {
        throw new StaleWrite('the comments were read too long ago to rewrite them');
      }
      await this.#checkUnchanged(id, ours.find((comment) => comment.id === id)?.body, readTime);
      await this.#octokit.rest.issues
        .updateComment({ ...this.#repo, comment_id: id, body })
        .catch(staleWhenGone);
    }
    const created: string[] = [];
    for (const body of plan.creates) created.push((await this.create(body)).url);
    for (const id of plan.deletes) await this.delete(id);
    const main = ours.find((comment) => comment.id === plan.mainId);
    const more = plan.comments > 1 ? ` (its ledger goes on in ${plan.comments - 1} more)` : '';
    return `${main ? 'Updated the comment' : 'Commented'} on pull request #${this.#number}: ${main?.url ?? created[0]}${more}`;
  }
}

/** Why GitHub refused, and what to do, as the end of a sentence that starts with what could not be done. */
export function describeGitHubError(error: unknown): string {
  if (error instanceof RateLimited) {
    return `: ${error.message}. This is GitHub throttling requests (its rate limit), not a missing permission: run the job again in a few minutes, or give the step a longer timeout.`;
  }
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
