// HTTP with the Document Translation service: the only module that sends requests to it. Each
// request is retried on transient failures within the step's deadline, and stops when the runner
// cancels the step.

import type { RequestStopReason, ServiceError } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { plural } from '../common/numbers.ts';
import { CREDENTIAL_STAYS } from '../settings/endpoint.ts';
import { type Dispatcher, request } from './http.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from './retry.ts';
import type { Throttle } from './throttle.ts';
import { type Deadline, formatSeconds, sleep } from './timing.ts';

interface ServiceConnection {
  /** The service root, e.g. https://my-translator.cognitiveservices.azure.com, without a trailing slash. */
  serviceBase: string;
  apiVersion: string;
  /** The credential's headers: a key (and region), or a bearer token. */
  authHeaders: Record<string, string>;
  userAgent: string;
}

export interface RequestLimits {
  maxRetries: number;
  deadline: Deadline;
  /** Aborts when the runner cancels the step. */
  interrupt: AbortSignal;
  /** Shared by all requests of the step. */
  throttle: Throttle;
  log: (line: string) => void;
}

/** One HTTP answer, read whole. */
export interface HttpAnswer {
  status: number;
  body: string;
  contentType: string;
  /** The apim-request-id header: what Azure support asks for. */
  requestId?: string;
  location?: string;
  retryAfterMs?: number;
  /** Seconds the answer spent in the service's cache, when it came from there. */
  age?: number;
  attempts: number;
  /** Set when this is a transient failure that was not retried further. */
  stoppedBy?: RequestStopReason;
}

/** A request's result: its HTTP answer, or, when none came, the error that says why. */
type Answered = { answer: HttpAnswer } | { error: ServiceError };

/**
 * No HTTP answer: refused, reset, timed out, or the step was cancelled (Interrupted). A time-out is
 * a network failure too: its message says that the step's time ran out.
 */
function noAnswer(
  code: typeof ErrorCode.NetworkError | typeof ErrorCode.Interrupted,
  message: string,
): Answered {
  return { error: { code, message } };
}

// Longer than the service takes to answer a cancel, short enough to retry a dead connection in time.
const REQUEST_TIMEOUT_MS = 30_000;
// How long a request already in flight may finish after the runner's cancel signal.
const INTERRUPT_GRACE_MS = 1_000;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeNetworkFailure(error: unknown): string {
  const failure = error as { code?: string; cause?: { code?: string }; message?: string };
  return [failure.code, failure.cause?.code].filter(Boolean).join('/') || failure.message || String(error);
}

type Attempt = { answer: HttpAnswer } | { failure: string };

function describeAnswer(status: number, requestId: string | undefined): string {
  return `HTTP ${status}${requestId ? ` (request id ${requestId})` : ''}`;
}

function describeAttempt(attempt: Attempt): string {
  if ('failure' in attempt) return attempt.failure;
  return describeAnswer(attempt.answer.status, attempt.answer.requestId);
}

/** A URL of the batch API under the service root, with the api-version and `query`. */
export function batchApiUrl(
  service: Pick<ServiceConnection, 'serviceBase' | 'apiVersion'>,
  path: string,
  query: Record<string, string> = {},
): URL {
  const url = new URL(`${service.serviceBase}/translator/document/batches${path}`);
  url.searchParams.set('api-version', service.apiVersion);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
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

export class TranslatorClient {
  readonly #connection: ServiceConnection;
  readonly #limits: RequestLimits;
  // One connection pool (and proxy) for the whole step; redirects are never followed (undici's
  // default), so the credential cannot be carried to another host.
  readonly #dispatcher: Dispatcher;
  readonly #hardStop = new AbortController();

  constructor(connection: ServiceConnection, limits: RequestLimits, dispatcher: Dispatcher) {
    this.#connection = connection;
    this.#dispatcher = dispatcher;
    this.#limits = limits;
    limits.interrupt.addEventListener(
      'abort',
      () => setTimeout(() => this.#hardStop.abort(), INTERRUPT_GRACE_MS).unref(),
      { once: true },
    );
  }

  #url(path: string, query: Record<string, string> = {}): URL {
    return batchApiUrl(this.#connection, path, query);
  }

  /** The first page of batches matching `query` (statuses, createdDateTimeUtcEnd, …). */
  batchesUrl(query: Record<string, string>): URL {
    return this.#url('', query);
  }

  /** A page of the batch list; `url` is batchesUrl() or a page's nextLink, which must stay on the endpoint. */
  async listBatches(url: URL): Promise<Answered> {
    const base = new URL(this.#connection.serviceBase);
    if (url.origin !== base.origin) {
      return {
        error: {
          code: ErrorCode.ForeignPageLink,
          message: `the list's next-page link points at ${url.host}, not ${base.host}: not followed, ${CREDENTIAL_STAYS}.`,
        },
      };
    }
    return this.#send('GET', url, 'List of batches');
  }

  cancel(id: string): Promise<Answered> {
    return this.#send('DELETE', this.#url(`/${encodeURIComponent(id)}`), `Cancel of batch ${id}`);
  }

  getStatus(id: string): Promise<Answered> {
    return this.#send('GET', this.#url(`/${encodeURIComponent(id)}`), `Status of batch ${id}`);
  }

  async #send(method: 'GET' | 'DELETE', url: URL, what: string): Promise<Answered> {
    const { maxRetries, deadline, interrupt, throttle, log } = this.#limits;
    if (deadline.remainingMs() <= 0) {
      return noAnswer(ErrorCode.NetworkError, `${deadline.describe()} ran out before the request.`);
    }
    let last: Attempt = { failure: 'no answer' };
    for (let attempt = 1; ; attempt++) {
      const turn = await throttle.turn(interrupt, deadline.remainingMs());
      if (turn !== 'go') return this.#giveUp(turn, last, attempt - 1, url);
      last = await this.#attempt(method, url);
      const retryAfter = 'answer' in last ? last.answer.retryAfterMs : undefined;
      if ('answer' in last) {
        last.answer.attempts = attempt;
        if (last.answer.status === 429) throttle.throttled(retryAfter ?? backoffMs(attempt));
        if (!isRetryableStatus(last.answer.status)) {
          throttle.succeeded();
          return { answer: last.answer };
        }
      }
      const wait = retryAfter ?? backoffMs(attempt);
      if (interrupt.aborted) return this.#giveUp('interrupt', last, attempt, url);
      if (attempt > maxRetries) return this.#giveUp('retries', last, attempt, url);
      if (wait >= deadline.remainingMs()) return this.#giveUp('timeout', last, attempt, url);
      log(
        `${what}: ${describeAttempt(last)}; retrying in ${formatSeconds(wait)} (attempt ${attempt + 1} of ${maxRetries + 1}).`,
      );
      if (!(await sleep(wait, interrupt))) return this.#giveUp('interrupt', last, attempt, url);
    }
  }

  /** The last answer, marked as not retried further; without one, why there is none. */
  #giveUp(reason: RequestStopReason, last: Attempt, attempts: number, url: URL): Answered {
    if ('answer' in last) return { answer: { ...last.answer, stoppedBy: reason } };
    const tries = plural(attempts, 'attempt');
    if (reason === 'timeout' && attempts === 0) {
      return noAnswer(
        ErrorCode.NetworkError,
        `${this.#limits.deadline.describe()} ran out while the service was throttling, before the request was sent.`,
      );
    }
    switch (reason) {
      case 'timeout':
        return noAnswer(
          ErrorCode.NetworkError,
          `${this.#limits.deadline.describe()} ran out after ${tries}; the last got ${last.failure} from ${url.host}.`,
        );
      case 'interrupt':
        return noAnswer(ErrorCode.Interrupted, `the runner cancelled the step before ${url.host} answered.`);
      case 'retries':
        return noAnswer(
          ErrorCode.NetworkError,
          `${last.failure} from ${url.host} after ${tries}: check the endpoint and the runner's network.`,
        );
    }
  }

  async #attempt(method: 'GET' | 'DELETE', url: URL): Promise<Attempt> {
    const { authHeaders, userAgent } = this.#connection;
    const headers = { accept: 'application/json', 'user-agent': userAgent, ...authHeaders };
    const timeoutMs = Math.min(REQUEST_TIMEOUT_MS, this.#limits.deadline.remainingMs());
    // A timer and a listener undone after each request: AbortSignal.timeout and AbortSignal.any would
    // keep every request's signal alive until the step ends, which thousands of cancels feel.
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const stop = () => abort.abort();
    this.#hardStop.signal.addEventListener('abort', stop);
    const failed = (error: unknown) =>
      timedOut ? `no answer within ${formatSeconds(timeoutMs)}` : describeNetworkFailure(error);
    try {
      return await this.#exchange(method, url, headers, abort.signal, failed);
    } finally {
      clearTimeout(timer);
      this.#hardStop.signal.removeEventListener('abort', stop);
    }
  }

  async #exchange(
    method: 'GET' | 'DELETE',
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
    failed: (error: unknown) => string,
  ): Promise<Attempt> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(this.#dispatcher, url, { method, headers, signal });
    } catch (error) {
      return { failure: failed(error) };
    }
    const requestId = header(response.headers['apim-request-id']) ?? header(response.headers['x-requestid']);
    let body: string;
    try {
      body = await response.body.text();
    } catch (error) {
      return {
        failure: `${describeAnswer(response.statusCode, requestId)} with its body cut off: ${failed(error)}`,
      };
    }
    const age = header(response.headers.age);
    return {
      answer: {
        status: response.statusCode,
        body,
        contentType: header(response.headers['content-type']) ?? '',
        requestId,
        location: header(response.headers.location),
        retryAfterMs: parseRetryAfter(header(response.headers['retry-after'])),
        age: age === undefined ? undefined : Number(age),
        attempts: 1,
      },
    };
  }
}
