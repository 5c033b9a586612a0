// Plays the part of the GitHub REST API that the pull request comment and its ledger use: list, read
// one, create, update and delete issue comments, and who a token belongs to, under GITHUB_API_URL. As
// on GitHub, a comment is written by the token's user, only its author may edit or delete it, and the
// workflow token (an installation token) may not read /user. It keeps GitHub's limits: a comment body
// of more than 65,536 characters is refused with GitHub's 422, and the list of comments comes in pages
// of 30 (at most 100 with per_page) linked by a Link header. It can refuse every write, as a fork's
// read-only token gets; answer after a latency, varying if told; and keep GitHub's rate limits when
// told to, with GitHub's bodies and headers: a secondary rate limit (403, with or without retry-after,
// or 429) and the primary one (403 with x-ratelimit-remaining: 0 until x-ratelimit-reset).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

interface StoredComment {
  id: number;
  /** The pull request (issue) it is on. */
  issue: number;
  body: string;
  html_url: string;
  user: { login: string };
  created_at: string;
  updated_at: string;
}

/** A request as the emulator saw it, and the status it answered with. */
interface GitHubRequest {
  method: string;
  path: string;
  authorization?: string;
  status?: number;
}

/** A rate limit for the next requests of `methods` (by default the writes). */
interface RateLimit {
  kind: 'secondary' | 'primary';
  /** 403 (GitHub's usual answer) or 429. */
  status?: 403 | 429;
  /** Sent as retry-after, in seconds; without it, none is sent. */
  retryAfterSeconds?: number;
  /** For the primary limit: seconds from now until x-ratelimit-reset. */
  resetInSeconds?: number;
  /** How many requests it refuses. */
  times?: number;
  methods?: string[];
}

/** A time as GitHub gives it: ISO 8601, to the second. */
function githubTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

const SECONDARY_RATE_LIMIT =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0400:2F0E:1A2B3C:4D5E6F:67890ABC.';

/** The login of the workflow token's user. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** The longest comment body GitHub accepts, in characters. */
export const MAX_COMMENT_LENGTH = 65_536;
const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 100;

// What GitHub answers a comment body over the limit (REST API, 2025).
const BODY_TOO_LONG = {
  message: 'Validation Failed',
  errors: [
    {
      resource: 'IssueComment',
      code: 'custom',
      field: 'body',
      message: `body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`,
    },
  ],
  documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  status: '422',
};

export class GitHubApiEmulator {
  readonly comments: StoredComment[] = [];
  readonly requests: GitHubRequest[] = [];
  /** Answer every write with 403, as for a read-only token. */
  readOnly = false;
  /** Added before every answer. */
  latencyMs = 0;
  /** Up to this much more, drawn anew for each answer: GitHub's answers do not all take as long. */
  jitterMs = 0;
  /** Called once each answer is sent: a test acts there as another run would, between two requests. */
  onAnswer?: (request: GitHubRequest) => void;
  readonly #rateLimits: RateLimit[] = [];
  /** Token to login; a login ending in [bot] is an installation token, which /user refuses. */
  readonly #users: Record<string, string>;
  #nextId = 1000;
  #server?: Server;
  #url = '';

  constructor(users: Record<string, string>) {
    this.#users = users;
  }

  get url(): string {
    return this.#url;
  }

  /** The environment of a job run by `eventName` in octo/app, with its event payload at `eventPath`. */
  pullRequestEnv(eventPath: string, eventName = 'pull_request'): Record<string, string> {
    return {
      GITHUB_API_URL: this.#url,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '4242',
      GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
    };
  }

  /** A comment written by someone else, such as the pull request's author, at `createdAt` (now by default). */
  addComment(issue: number, login: string, body: string, createdAt = new Date()): StoredComment {
    const id = this.#nextId++;
    const at = githubTime(createdAt);
    const comment = {
      id,
      issue,
      body,
      html_url: this.#htmlUrl(issue, id),
      user: { login },
      created_at: at,
      updated_at: at,
    };
    this.comments.push(comment);
    return comment;
  }

  /** Refuses the next requests for a rate limit, as GitHub does. */
  addRateLimit(limit: RateLimit): void {
    this.#rateLimits.push({ times: 1, ...limit });
  }

  /** The rate limit due for a request of `method`, if any, taken. */
  #rateLimitFor(method: string): RateLimit | undefined {
    const limit = this.#rateLimits.find(
      (candidate) =>
        (candidate.times ?? 0) > 0 && (candidate.methods ?? ['POST', 'PATCH', 'DELETE']).includes(method),
    );
    if (limit) limit.times = (limit.times ?? 1) - 1;
    return limit;
  }

  commentsOn(issue: number): StoredComment[] {
    return this.comments.filter((comment) => comment.issue === issue);
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch(() => response.destroy());
    });
    this.#url = await listenOnLoopback(this.#server);
    return this.#url;
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** One page of `items` as GitHub pages a list (page, per_page), and its Link header. */
  #page<T>(items: readonly T[], url: URL): { page: T[]; link?: string } {
    const size = Math.min(MAX_PAGE_SIZE, Number(url.searchParams.get('per_page')) || DEFAULT_PAGE_SIZE);
    const number = Math.max(1, Number(url.searchParams.get('page')) || 1);
    const last = Math.max(1, Math.ceil(items.length / size));
    const linkTo = (page: number, rel: string) => {
      const target = new URL(`${this.#url}${url.pathname}`);
      target.searchParams.set('per_page', String(size));
      target.searchParams.set('page', String(page));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links = [
      ...(number < last ? [linkTo(number + 1, 'next'), linkTo(last, 'last')] : []),
      ...(number > 1 ? [linkTo(1, 'first'), linkTo(number - 1, 'prev')] : []),
    ];
    return {
      page: items.slice((number - 1) * size, number * size),
      link: links.length > 0 ? links.join(', ') : undefined,
    };
  }

  #htmlUrl(issue: number, id: number): string {
    return `https://github.test/octo/app/pull/${issue}#issuecomment-${id}`;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://github');
    const method = request.method ?? '';
    const recorded: GitHubRequest = {
      method,
      path: url.pathname,
      authorization: request.headers.authorization,
    };
    this.requests.push(recorded);
    let text = '';
    for await (const chunk of request) text += chunk;
    const latency = this.latencyMs + Math.random() * this.jitterMs;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const now = Math.floor(Date.now() / 1000);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      response.writeHead(status, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4321',
        'x-ratelimit-used': '679',
        'x-ratelimit-reset': String(now + 3_600),
        'x-ratelimit-resource': 'core',
        ...headers,
      });
      response.end(body === undefined ? '' : JSON.stringify(body));
      this.onAnswer?.(recorded);
    };
    const tooLong = (body: string) => [...body].length > MAX_COMMENT_LENGTH;
    const token = /^(?:token|Bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const login = this.#users[token];
    if (!login) {
      send(401, { message: 'Bad credentials', status: '401' });
      return;
    }
    if (url.pathname === '/user' && method === 'GET') {
      if (login.endsWith('[bot]'))
        send(403, { message: 'Resource not accessible by integration', status: '403' });
      else send(200, { login });
      return;
    }
    const limit = this.#rateLimitFor(method);
    if (limit) {
      const retryAfter: Record<string, string> =
        limit.retryAfterSeconds === undefined ? {} : { 'retry-after': String(limit.retryAfterSeconds) };
      if (limit.kind === 'primary') {
        const reset = String(now + (limit.resetInSeconds ?? 0));
        send(
          limit.status ?? 403,
          {
            message: 'API rate limit exceeded for installation ID 4242.',
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
            status: String(limit.status ?? 403),
          },
          {
            'x-ratelimit-remaining': '0',
            'x-ratelimit-used': '5000',
            'x-ratelimit-reset': reset,
            ...retryAfter,
          },
        );
      } else {
        send(
          limit.status ?? 403,
          {
            message: SECONDARY_RATE_LIMIT,
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
            status: String(limit.status ?? 403),
          },
          retryAfter,
        );
      }
      return;
    }
    if (this.readOnly && method !== 'GET') {
      send(403, { message: 'Resource not accessible by integration', status: '403' });
      return;
    }
    const list = /^\/repos\/octo\/app\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list && method === 'GET') {
      const { page, link } = this.#page(this.commentsOn(Number(list[1])), url);
      send(200, page, link ? { link } : {});
      return;
    }
    if (list && method === 'POST') {
      const { body } = JSON.parse(text) as { body: string };
      if (tooLong(body)) send(422, BODY_TOO_LONG);
      else send(201, this.addComment(Number(list[1]), login, body));
      return;
    }
    const one = /^\/repos\/octo\/app\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const existing = this.comments.find((comment) => comment.id === Number(one?.[1]));
    if (!one || !existing) {
      send(404, { message: 'Not Found' });
      return;
    }
    if (existing.user.login !== login && method !== 'GET') {
      send(403, { message: 'Resource not accessible by integration', status: '403' });
      return;
    }
    if (method === 'PATCH') {
      const { body } = JSON.parse(text) as { body: string };
      if (tooLong(body)) {
        send(422, BODY_TOO_LONG);
        return;
      }
      existing.body = body;
      existing.updated_at = githubTime(new Date());
      send(200, existing);
    } else if (method === 'GET') {
      send(200, existing);
    } else if (method === 'DELETE') {
      this.comments.splice(this.comments.indexOf(existing), 1);
      send(204);
    } else {
      send(405, { message: 'Method not allowed' });
    }
  }
}
