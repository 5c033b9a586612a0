// The pull request a run is about, and the run itself: the event's pull request (or the one the
// pull-request input names), the repository, the run's link and commit, as the comment shows them.
import * as github from '@actions/github';
import { inertText } from '../common/html.ts';
import { InputError } from '../common/user-errors.ts';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

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

/** The repository as owner/name, which a ledger entry's seal binds. */
export function repositoryName(): string {
  const { owner, repo } = github.context.repo;
  return `${owner}/${repo}`;
}

/** The link to this workflow run, for the ledger's "started by". */
export function currentRunUrl(): string | undefined {
  const { serverUrl, runId } = github.context;
  const repository = process.env.GITHUB_REPOSITORY;
  return repository && runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined;
}

/** The commit this run is for: the pull request's head, 7 hex digits; undefined when not known. */
export function currentCommit(): string | undefined {
  const { payload, sha } = github.context;
  const head = (payload.pull_request?.head as { sha?: string } | undefined)?.sha ?? sha;
  return /^[0-9a-f]{40}$/.test(head ?? '') ? head?.slice(0, 7) : undefined;
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
