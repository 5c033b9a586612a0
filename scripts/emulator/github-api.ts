// Plays the part of the GitHub REST API that the pull request comment and its ledger use: list,
// create, update and delete issue comments, and who a token belongs to, under GITHUB_API_URL. As on
// GitHub, a comment is written by the token's user, only its author may edit or delete it, and the
// workflow token (an installation token) may not read /user. It can refuse every write, as a fork's
// read-only token gets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

export interface StoredComment {
  id: number;
  /** The pull request (issue) it is on. */
  issue: number;
  body: string;
  html_url: string;
  user: { login: string };
}

/** The login of the workflow token's user. */
export const ACTIONS_BOT = 'github-actions[bot]';

export class GitHubApiEmulator {
  readonly comments: StoredComment[] = [];
  readonly requests: Array<{ method: string; path: string; authorization?: string }> = [];
  /** Answer every write with 403, as for a read-only token. */
  readOnly = false;
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

  /** A comment written by someone else, such as the pull request's author. */
  addComment(issue: number, login: string, body: string): StoredComment {
    const id = this.#nextId++;
    const comment = { id, issue, body, html_url: this.#htmlUrl(issue, id), user: { login } };
    this.comments.push(comment);
    return comment;
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

  #htmlUrl(issue: number, id: number): string {
    return `https://github.test/octo/app/pull/${issue}#issuecomment-${id}`;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://github');
    const method = request.method ?? '';
    this.requests.push({ method, path: url.pathname, authorization: request.headers.authorization });
    let text = '';
    for await (const chunk of request) text += chunk;
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body === undefined ? '' : JSON.stringify(body));
    };
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
    if (this.readOnly && method !== 'GET') {
      send(403, { message: 'Resource not accessible by integration', status: '403' });
      return;
    }
    const list = /^\/repos\/octo\/app\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list && method === 'GET') {
      send(200, this.commentsOn(Number(list[1])));
      return;
    }
    if (list && method === 'POST') {
      send(201, this.addComment(Number(list[1]), login, (JSON.parse(text) as { body: string }).body));
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
      existing.body = (JSON.parse(text) as { body: string }).body;
      send(200, existing);
    } else if (method === 'DELETE') {
      this.comments.splice(this.comments.indexOf(existing), 1);
      send(204);
    } else {
      send(405, { message: 'Method not allowed' });
    }
  }
}
