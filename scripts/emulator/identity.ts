// Plays the two identity services keyless sign-in talks to: the GitHub Actions OIDC token endpoint
// (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN) and the Microsoft Entra token
// endpoint ({authority}/{tenant}/oauth2/v2.0/token), which trusts a set of federated subjects. Entra's
// refusals have its body's shape ({error, error_description, error_codes, timestamp, trace_id,
// correlation_id, error_uri}) and its codes: AADSTS90002 for an unknown tenant, 700016 for an unknown
// application, 700211/700212 for an issuer or audience no federated credential has, 70021 for a
// subject none trusts, 700024 for an expired token.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
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
  /** How long the OIDC tokens it hands out are valid; below 0, they have already expired. */
  oidcTokenLifetimeSeconds?: number;
}

/** A fault for the next requests to one of the two services: a status, and how many times. */
interface IdentityFault {
  service: 'oidc' | 'entra';
  status: number;
  times?: number;
  /** Sent as Retry-After, so that a test need not wait through a back-off. */
  retryAfterSeconds?: number;
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

/** A refusal in Entra's shape, with its code in the description and in error_codes. */
function refuse(
  response: ServerResponse,
  status: number,
  error: string,
  code: number,
  message: string,
): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  sendJson(response, status, {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
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
  /** How many requests each service got. */
  readonly requestCounts = { oidc: 0, entra: 0 };
  /** When each service got each of them (performance.now()). */
  readonly requestedAt: { oidc: number[]; entra: number[] } = { oidc: [], entra: [] };
  readonly #options: IdentityOptions;
  readonly #faults: IdentityFault[] = [];
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

  /** Listens on `host`, over HTTPS with `tls`'s certificate when given. */
  async start(host = '127.0.0.1', tls?: { key: string; cert: string }): Promise<string> {
    const handler = (request: IncomingMessage, response: ServerResponse) => {
      this.#handle(request, response).catch(() => response.destroy());
    };
    this.#server = tls ? createHttpsServer(tls, handler) : createServer(handler);
    this.#url = await listenOnLoopback(this.#server, host);
    return this.#url;
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** Answers the next requests to `service` with `status` (`times` of them, one by default). */
  addFault(fault: IdentityFault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  /** Answers with a fault due for `service`, if any. */
  #faulted(service: IdentityFault['service'], response: ServerResponse): boolean {
    const fault = this.#faults.find(
      (candidate) => candidate.service === service && (candidate.times ?? 0) > 0,
    );
    if (!fault) return false;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.retryAfterSeconds !== undefined)
      response.setHeader('retry-after', String(fault.retryAfterSeconds));
    if (service === 'entra') {
      refuse(
        response,
        fault.status,
        'temporarily_unavailable',
        90033,
        'A transient error has occurred. Please try again.',
      );
    } else {
      sendJson(response, fault.status, { message: 'Internal Server Error' });
    }
    return true;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://identity');
    const { clientId, tenantId, subject, trustedSubjects, accessToken } = this.#options;
    if (url.pathname === '/oidc/token' && request.method === 'GET') {
      this.requestCounts.oidc++;
      this.requestedAt.oidc.push(performance.now());
      if (this.#faulted('oidc', response)) return;
      if (request.headers.authorization !== `Bearer ${this.requestToken}`) {
        sendJson(response, 401, { message: 'Bad credentials' });
        return;
      }
      const audience = url.searchParams.get('audience') ?? '';
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (this.#options.oidcTokenLifetimeSeconds ?? 300);
      const jwt = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ sub: subject, iss: ACTIONS_ISSUER, aud: audience, iat: now, exp })}.c2lnbmF0dXJl`;
      this.oidcTokens.push(jwt);
      sendJson(response, 200, { value: jwt });
      return;
    }
    const tenantPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (tenantPath && request.method === 'POST') {
      this.requestCounts.entra++;
      this.requestedAt.entra.push(performance.now());
      if (this.#faulted('entra', response)) return;
      const form = new URLSearchParams(await readBody(request));
      this.tokenRequests.push(form);
      const assertion = form.get('client_assertion') ?? '';
      const claims = JSON.parse(
        Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString() || '{}',
      ) as { sub?: string; iss?: string; aud?: string; exp?: number };
      if (decodeURIComponent(tenantPath[1] ?? '') !== tenantId) {
        refuse(
          response,
          400,
          'invalid_request',
          90002,
          `Tenant '${tenantPath[1]}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
        return;
      }
      if (form.get('client_id') !== clientId) {
        refuse(
          response,
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${form.get('client_id')}' was not found in the directory '${tenantId}'. You may have sent your authentication request to the wrong tenant.`,
        );
        return;
      }
      const wellFormed =
        form.get('grant_type') === 'client_credentials' &&
        form.get('scope') === 'https://cognitiveservices.azure.com/.default' &&
        form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      if (!wellFormed) {
        refuse(
          response,
          400,
          'invalid_request',
          90014,
          'The request body is not what the token endpoint takes.',
        );
        return;
      }
      if ((claims.exp ?? 0) < Date.now() / 1000) {
        refuse(
          response,
          400,
          'invalid_client',
          700024,
          'Client assertion is not within its valid time range.',
        );
        return;
      }
      if (claims.iss !== ACTIONS_ISSUER) {
        const message = `No matching federated identity record found for presented assertion issuer '${claims.iss}'.`;
        refuse(response, 401, 'invalid_client', 700211, message);
        return;
      }
      if (claims.aud !== 'api://AzureADTokenExchange') {
        const message = `No matching federated identity record found for presented assertion audience '${claims.aud}'.`;
        refuse(response, 401, 'invalid_client', 700212, message);
        return;
      }
      if (!trustedSubjects.includes(claims.sub ?? '')) {
        const message = `No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${claims.aud}'.`;
        refuse(response, 400, 'invalid_client', 70021, message);
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

/** A workflow that Microsoft Entra trusts, as the tests and the bench play it. */
export const TRUSTED_WORKFLOW = {
  clientId: '11111111-2222-4333-8444-555555555555',
  tenantId: '66666666-7777-4888-9999-000000000000',
  subject: 'repo:octo/app:pull_request',
} as const;

/** The identity emulator for TRUSTED_WORKFLOW, handing out `accessToken`; started by the caller. */
export function trustedIdentity(accessToken: string): IdentityEmulator {
  const { clientId, tenantId, subject } = TRUSTED_WORKFLOW;
  return new IdentityEmulator({ subject, trustedSubjects: [subject], clientId, tenantId, accessToken });
}

/** The inputs that sign in as TRUSTED_WORKFLOW, at the Microsoft Entra authority `authorityHost`. */
export function keylessInputs(authorityHost: string): Record<string, string> {
  const { clientId, tenantId } = TRUSTED_WORKFLOW;
  return { 'client-id': clientId, 'tenant-id': tenantId, 'authority-host': authorityHost };
}
