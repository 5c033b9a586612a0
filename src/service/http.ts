// HTTP for every request the action sends itself (the service, Microsoft Entra, GitHub's OIDC token):
// one pool of connections for the step, each request through the proxy the runner names for its
// host, one attempt at a time within a time limit, and a failure told in words (http-failure.ts),
// with whether the request left. undici's modules are imported one by one: its index loads all of undici
// (fetch, WebSocket, caches, mocks), which every start would pay for (about 40 ms).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import buildConnector from 'undici/lib/core/connect.js';
import { ConnectTimeoutError } from 'undici/lib/core/errors.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import { CONNECT_TIMEOUT_MS, type Connector, type EarlyConnection } from './early-connection.ts';
import { describeFailure, type Failure, type ProxyServer } from './http-failure.ts';
// Loaded for the budget it sets on undici's parser.
import './http-parser.ts';

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

const CONNECT_OPTIONS = { timeout: CONNECT_TIMEOUT_MS };

// undici's diagnostics channel for a request whose headers it has written on a connection.
const HEADERS_SENT = 'undici:client:sendHeaders';

/** What undici says of a request on HEADERS_SENT. */
interface SentHeaders {
  request: { method: string; origin: string; path: string };
}

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
    // Whether the request left: a connection that never opened (a handshake never answered, a
    // stalled proxy) ends the attempt with nothing sent, which a report of the runner's cancel tells.
    // Told apart by method, origin and path: no two requests of a step are the same at once (each
    // batch's are one after another, and the list's pages too).
    const path = `${url.pathname}${url.search}`;
    let written = false;
    const onHeadersSent = (message: unknown) => {
      const { request } = message as SentHeaders;
      written ||=
        request.method === exchange.method && request.origin === url.origin && request.path === path;
    };
    subscribe(HEADERS_SENT, onHeadersSent);
    const failed = (error: unknown): Failure => ({
      ...(timedOut
        ? { text: `no answer within ${(limits.timeoutMs / 1000).toFixed(1)} s`, retryable: true }
        : describeFailure(error, url, proxy)),
      ...(written ? {} : { unsent: true }),
    });
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await apiRequest.call(dispatcher, {
          ...exchange,
          origin: url.origin,
          path,
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
      unsubscribe(HEADERS_SENT, onHeadersSent);
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
