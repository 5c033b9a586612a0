// One comment per pull request, found again by a hidden marker and edited on later runs. Loaded only
// when `comment` is set; GITHUB_API_URL is honoured, so GitHub Enterprise Server works.
import * as github from '@actions/github';

const MARKER = '<!-- cancel-document-translation -->';
// A comment holds at most 65,536 characters.
export const COMMENT_SIZE_BUDGET = 60_000;
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/** Creates or updates the comment; says what it did, in words for the log. */
export async function updatePullRequestComment(token: string, body: string): Promise<string> {
  const { context } = github;
  const number = context.payload.pull_request?.number;
  if (!PULL_REQUEST_EVENTS.includes(context.eventName) || number === undefined) {
    return `No pull request comment: the event is ${context.eventName}, not a pull request.`;
  }
  const octokit = github.getOctokit(token);
  const { owner, repo } = context.repo;
  const text = `${MARKER}\n${body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  const existing = comments.find((comment) => comment.body?.includes(MARKER));
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text });
    return `Updated the comment on pull request #${number}: ${existing.html_url}`;
  }
  const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text });
  return `Commented on pull request #${number}: ${created.data.html_url}`;
}
