// HTTP for every request the action sends itself (the service, Microsoft Entra, GitHub's OIDC token):
// one pool of connections for the step, each request through the proxy the runner names for its
// host, one attempt at a time within a time limit, and a failure told in words that name the proxy
// where it was the proxy's. undici's modules are imported one by one: its index loads all of undici
// (fetch, WebSocket, caches, mocks), which every start would pay for (about 40 ms).
import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import buildConnector from 'undici/lib/core/connect.js';
import { ConnectTimeoutError } from 'undici/lib/core/errors.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import { CONNECT_TIMEOUT_MS, type Connector, type EarlyConnection } from './early-connection.ts';
// Loaded for the budget it sets on undici's parser.
import './http-parser.ts';

/** A proxy the runner names (settings/proxy.ts): its URL, and how messages name it. */
interface ProxyServer {
  url: URL;
  shown: string;
}

/** One HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
  /** The apim-request-id header: what Azure support asks for. */
  requestId?: string;
  location?: string;
  /** Retry-After, as milliseconds from now. */
  retryAfterMs?: number;
  /** Seconds the answer spent in the service's cache, when it came from there. */
  age?: number;
  /** Every header, repeated ones joined with commas. */
  headers: Record<string, string>;
}

/** Why an attempt got no answer, in words. */
export interface Failure {
  text: string;
  /** The proxy, as messages name it, when the failure was the proxy's: it refused, or was out of reach. */
  proxy?: string;
  /** Whether another attempt may fare better: not after a proxy's 407 or an untrusted certificate. */
  retryable: boolean;
}

export type Attempt = { answer: HttpAnswer } | { failure: Failure };

interface Exchange {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
}

/** When an attempt stops: its own time limit, or `stop` (the runner's cancel, after a grace). */
interface AttemptLimits {
  timeoutMs: number;
  stop: AbortSignal;
}

// Failures to reach the first hop: through a proxy, the only connection the runner opens is the
// proxy's (the proxy looks the host up and connects to it).
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const UNTRUSTED_CERTIFICATE =
  /^(CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)/;
// undici's words when a proxy answers a tunnel's CONNECT with anything but 200.
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\)/;

// A header's value is printed (the request id, a redirect's Location): an answer cannot flood the
// log with one. An answer's body is read up to a size far beyond any the service sends (a page of
// 100 statuses is about 60 kB).
const HEADER_LIMIT = 300;
const BODY_LIMIT = 8 * 1024 * 1024;

/** A header's value, the first when it came more than once, cut to HEADER_LIMIT. */
function header(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.length <= HEADER_LIMIT ? first : `${first.slice(0, HEADER_LIMIT)}...`;
}

/** An answer's body as text, or undefined when it is longer than BODY_LIMIT (read no further). */
async function bodyText(body: Dispatcher.ResponseData['body']): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Why a request to `url` got no answer, as a person can act on it. */
function describeFailure(error: unknown, url: URL, proxy: ProxyServer | undefined): Failure {
  const failure = error as { code?: string; message?: string; cause?: { code?: string } };
  const codes = [failure.code, failure.cause?.code].filter(Boolean);
  const said = codes.join('/') || failure.message || String(error);
  const refused = TUNNEL_REFUSED.exec(failure.message ?? '');
  if (proxy && refused) {
    const status = Number(refused[1]);
    const why =
      status === 407
        ? ': it wants a user name and password, and those in the variable are wrong or missing'
        : '';
    return {
      text: `the proxy ${proxy.shown} answered HTTP ${status} to the tunnel to ${url.host}${why}`,
      proxy: proxy.shown,
      retryable: status >= 500,
    };
  }
  if (proxy && (failure.code === 'UND_ERR_PRX_CONN' || codes.some((code) => UNREACHABLE.has(code ?? '')))) {
    const what =
      failure.code === 'UND_ERR_PRX_CONN' ? `did not open a tunnel to ${url.host}` : 'could not be reached';
    return { text: `the proxy ${proxy.shown} ${what} (${said})`, proxy: proxy.shown, retryable: true };
  }
  const untrusted = codes.find((code) => UNTRUSTED_CERTIFICATE.test(code ?? ''));
  if (untrusted) {
    const through = proxy ? `, as the proxy ${proxy.shown} presents it` : '';
    return {
      text: `the TLS certificate of ${url.host}${through} is not trusted (${untrusted}): where a proxy or gateway presents certificates of its own CA, give that CA's certificate in NODE_EXTRA_CA_CERTS`,
      retryable: false,
    };
  }
  return { text: proxy ? `${said} through the proxy ${proxy.shown}` : said, retryable: true };
}

const CONNECT_OPTIONS = { timeout: CONNECT_TIMEOUT_MS };

/**
 * Waits for the socket of the answer just read to go back to the pool, before a request about the
 * same batch follows it at once (a status read after a cancel, a cancel after guard's check).
 * undici takes a socket back only after the tick in which its answer was read: a request sent in
 * that tick opens a second connection, with its handshakes on a real network (measured through
 * 20 ms of latency: 67 ms instead of 24 ms). Not before every request: with many batches in flight
 * the pool has sockets to spare, and a turn of the event loop before each of 1,000 cancels cost 70 ms.
 */
export function afterAnswer(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The step's connections: one pool straight to the hosts, and one through each proxy in use. */
export class Connections {
  readonly #direct: Dispatcher;
  readonly #throughProxy = new Map<string, Dispatcher>();
  readonly #proxy: ProxyRoute | undefined;

  /** Through `proxy`'s agents where it routes a request; the first straight one to an origin on its `early` connection when it opened. */
  constructor(proxy?: ProxyRoute, early: readonly EarlyConnection[] = []) {
    this.#proxy = proxy;
    const timedOut = () => new ConnectTimeoutError();
    const connect =
      early.length === 0
        ? CONNECT_OPTIONS
        : early.reduce<Connector>(
            (next, connection) => connection.connector(next, timedOut),
            buildConnector(CONNECT_OPTIONS),
          );
    this.#direct = new Agent({ connect });
  }

  #dispatcherFor(url: URL): { dispatcher: Dispatcher; proxy?: ProxyServer } {
    const proxy = this.#proxy?.route(url);
    if (!proxy || !this.#proxy) return { dispatcher: this.#direct };
    let dispatcher = this.#throughProxy.get(proxy.url.href);
    if (!dispatcher) {
      dispatcher = this.#proxy.agent(proxy);
      this.#throughProxy.set(proxy.url.href, dispatcher);
    }
    return { dispatcher, proxy };
  }

  /** One attempt: the answer, read whole, or why none came. Redirects are never followed. */
  async send(url: URL, exchange: Exchange, limits: AttemptLimits): Promise<Attempt> {
    const { dispatcher, proxy } = this.#dispatcherFor(url);
    const abort = new AbortController();
    let timedOut = false;
    // A timer and a listener undone after each request: AbortSignal.timeout and AbortSignal.any would
    // keep every request's signal alive until the step ends, which thousands of cancels feel.
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, limits.timeoutMs);
    const stop = () => abort.abort();
    limits.stop.addEventListener('abort', stop);
    const failed = (error: unknown): Failure =>
      timedOut
        ? { text: `no answer within ${(limits.timeoutMs / 1000).toFixed(1)} s`, retryable: true }
        : describeFailure(error, url, proxy);
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await apiRequest.call(dispatcher, {
          ...exchange,
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          signal: abort.signal,
        });
      } catch (error) {
        return { failure: failed(error) };
      }
      const requestId =
        header(response.headers['apim-request-id']) ?? header(response.headers['x-requestid']);
      const answered = `HTTP ${response.statusCode}${requestId ? ` (request id ${requestId})` : ''}`;
      let body: string | undefined;
      try {
        body = await bodyText(response.body);
      } catch (error) {
        const { text, retryable } = failed(error);
        return { failure: { text: `${answered} with its body cut off: ${text}`, retryable } };
      }
      if (body === undefined) {
        return {
          failure: {
            text: `${answered} with a body of more than ${BODY_LIMIT / 1024 / 1024} MiB, not read`,
            retryable: false,
          },
        };
      }
      const age = header(response.headers.age);
      const headers = Object.fromEntries(
        Object.entries(response.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      );
      return {
        answer: {
          status: response.statusCode,
          body,
          contentType: header(response.headers['content-type']) ?? '',
          requestId,
          location: header(response.headers.location),
          retryAfterMs: parseRetryAfter(header(response.headers['retry-after'])),
          age: age === undefined ? undefined : Number(age),
          headers,
        },
      };
    } finally {
      clearTimeout(timer);
      limits.stop.removeEventListener('abort', stop);
    }
  }

  /** Lets go of every connection; not waited for (undici has let idle sockets go already). */
  close(): void {
    for (const dispatcher of [this.#direct, ...this.#throughProxy.values()]) void dispatcher.destroy();
  }
}

/** Which proxy a request goes through, and an agent that goes through it. */
interface ProxyRoute {
  route: (url: URL) => ProxyServer | undefined;
  agent: (proxy: ProxyServer) => Dispatcher;
}

/**
 * The step's connections; with `route`, each request to a host goes through the proxy it names (the
 * proxy agent loads only then); the first straight one on `early`.
 */
export async function openConnections(
  route?: (url: URL) => ProxyServer | undefined,
  early: readonly EarlyConnection[] = [],
): Promise<Connections> {
  if (!route) return new Connections(undefined, early);
  const [{ default: ProxyAgent }, { default: DispatcherBase }, { default: connect }] = await Promise.all([
    import(/* webpackChunkName: "proxy" */ 'undici/lib/dispatcher/proxy-agent.js'),
    import(/* webpackChunkName: "proxy" */ 'undici/lib/dispatcher/dispatcher.js'),
    import(/* webpackChunkName: "proxy" */ 'undici/lib/api/api-connect.js'),
  ]);
  // A proxy agent opens an HTTPS tunnel with its client's `connect()`, which undici's index adds to
  // every dispatcher as it loads (`Object.assign(Dispatcher.prototype, api)`). The action does not
  // load the index: without this line, no HTTPS request could go through a proxy.
  DispatcherBase.prototype.connect ??= connect;
  const agent = (proxy: ProxyServer) =>
    new ProxyAgent({ uri: proxy.url.href, connectTimeout: CONNECT_TIMEOUT_MS });
  return new Connections({ route, agent }, early);
}
