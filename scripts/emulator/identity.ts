// Plays the two identity services keyless sign-in talks to: the GitHub Actions OIDC token endpoint
// (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN) and the Microsoft Entra token
// endpoint ({authority}/{tenant}/oauth2/v2.0/token), which trusts a set of federated subjects.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

interface IdentityOptions {
  /** The subject the workflow's OIDC token carries, e.g. repo:octo/app:pull_request. */
  subject: string;
  /** The federated credential subjects Entra trusts for clientId. */
  trustedSubjects: string[];
  clientId: string;
  tenantId: string;
  /** The access token Entra hands out. */
  accessToken: string;
}

const ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => resolve(body));
  });
}

export class IdentityEmulator {
  readonly requestToken = `actions-request-${randomUUID()}`;
  readonly oidcTokens: string[] = [];
  readonly tokenRequests: URLSearchParams[] = [];
  readonly #options: IdentityOptions;
  #server?: Server;
  #url = '';

  constructor(options: IdentityOptions) {
    this.#options = options;
  }

  get url(): string {
    return this.#url;
  }

  /** The variables the runner sets for a job with `permissions: id-token: write`. */
  get actionsEnv(): Record<string, string> {
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.#url}/oidc/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken,
    };
  }

  async start(host = '127.0.0.1'): Promise<string> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch(() => response.destroy());
    });
    this.#url = await listenOnLoopback(this.#server, host);
    return this.#url;
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://identity');
    const { clientId, tenantId, subject, trustedSubjects, accessToken } = this.#options;
    if (url.pathname === '/oidc/token' && request.method === 'GET') {
      if (request.headers.authorization !== `Bearer ${this.requestToken}`) {
        sendJson(response, 401, { message: 'Bad credentials' });
        return;
      }
      const audience = url.searchParams.get('audience') ?? '';
      const now = Math.floor(Date.now() / 1000);
      const jwt = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ sub: subject, iss: ACTIONS_ISSUER, aud: audience, iat: now, exp: now + 300 })}.c2lnbmF0dXJl`;
      this.oidcTokens.push(jwt);
      sendJson(response, 200, { value: jwt });
      return;
    }
    if (url.pathname === `/${tenantId}/oauth2/v2.0/token` && request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      this.tokenRequests.push(form);
      const assertion = form.get('client_assertion') ?? '';
      const claims = JSON.parse(
        Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString() || '{}',
      ) as {
        sub?: string;
        iss?: string;
        aud?: string;
      };
      const trusted =
        form.get('client_id') === clientId &&
        form.get('grant_type') === 'client_credentials' &&
        form.get('scope') === 'https://cognitiveservices.azure.com/.default' &&
        form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
        claims.iss === ACTIONS_ISSUER &&
        claims.aud === 'api://AzureADTokenExchange' &&
        trustedSubjects.includes(claims.sub ?? '');
      if (!trusted) {
        sendJson(response, 400, {
          error: 'invalid_client',
          error_description: `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${claims.aud}'.\r\nTrace ID: x\r\nCorrelation ID: y`,
          error_codes: [70021],
          trace_id: randomUUID(),
          correlation_id: randomUUID(),
        });
        return;
      }
      sendJson(response, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: accessToken,
      });
      return;
    }
    sendJson(response, 404, { error: 'not_found' });
  }
}
