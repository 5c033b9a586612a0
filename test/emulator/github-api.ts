// Plays the part of the GitHub REST API that the pull request comment uses: list, create and update
// issue comments, under GITHUB_API_URL. It can refuse every write, as a fork's read-only token gets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from '../support/loopback-server.ts';

export interface StoredComment {
  id: number;
  body: string;
  html_url: string;
}

export class GitHubApiEmulator {
  readonly comments: StoredComment[] = [];
  readonly requests: Array<{ method: string; path: string; authorization?: string }> = [];
  /** Answer every write with 403, as for a read-only token. */
  readOnly = false;
  #nextId = 1000;
  #server?: Server;
  #url = '';

  get url(): string {
    return this.#url;
  }

  /** The environment of a job run by a pull_request event for pull request `number` of octo/app. */
  pullRequestEnv(eventPath: string, eventName = 'pull_request'): Record<string, string> {
    return {
      GITHUB_API_URL: this.#url,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'octo/app',
    };
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

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://github');
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      authorization: request.headers.authorization,
    });
    let text = '';
    for await (const chunk of request) text += chunk;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (this.readOnly && request.method !== 'GET') {
      send(403, { message: 'Resource not accessible by integration', status: '403' });
      return;
    }
    const list = /^\/repos\/octo\/app\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list && request.method === 'GET') {
      send(200, this.comments);
      return;
    }
    if (list && request.method === 'POST') {
      const id = this.#nextId++;
      const comment = {
        id,
        body: (JSON.parse(text) as { body: string }).body,
        html_url: `https://github.test/octo/app/pull/${list[1]}#issuecomment-${id}`,
      };
      this.comments.push(comment);
      send(201, comment);
      return;
    }
    const one = /^\/repos\/octo\/app\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const existing = this.comments.find((comment) => comment.id === Number(one?.[1]));
    if (one && existing && request.method === 'PATCH') {
      existing.body = (JSON.parse(text) as { body: string }).body;
      send(200, existing);
      return;
    }
    send(404, { message: 'Not Found' });
  }
}
