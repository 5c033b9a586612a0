// HTTP with the Document Translation service: the only module that sends requests to it. Each
// request is retried on transient failures within the step's deadline, at the step's shared pace,
// and stops when the runner cancels the step.

import type { RequestStopReason, ServiceError, StopReason } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { plural } from '../common/numbers.ts';
import { type Dispatcher, describeNetworkFailure, header, request } from './http.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from './retry.ts';
import { formatSeconds, type RequestLimits, sleep } from './timing.ts';

interface ServiceConnection {
  /** The service root, e.g. https://my-translator.cognitiveservices.azure.com, without a trailing slash. */
  serviceBase: string;
  apiVersion: string;
  /** The credential's headers: a key (and region), or a bearer token. */
  authHeaders: Record<string, string>;
  userAgent: string;
}

// The pace of the requests of a whole step, shared by every request in flight. When the service
// answers 429, everyone pauses for its Retry-After and the pace between request starts doubles; each
// success eases it off again. So many parallel cancels slow down together instead of hammering.
const MIN_INTERVAL_MS = 20;
const MAX_INTERVAL_MS = 2_000;
const EASE_PER_SUCCESS = 0.99;

class Throttle {
  #pausedUntil = 0;
  #nextStart = 0;
  #intervalMs = 0;

  /** Waits for the next request's turn, unless that would take longer than `remainingMs`. */
  async turn(signal: AbortSignal, remainingMs: number): Promise<'go' | StopReason> {
    const now = Date.now();
    const start = Math.max(now, this.#pausedUntil, this.#nextStart);
    if (start - now >= remainingMs) return 'timeout';
    this.#nextStart = start + this.#intervalMs;
    if (start > now && !(await sleep(start - now, signal))) return 'interrupt';
    return signal.aborted ? 'interrupt' : 'go';
  }

  throttled(retryAfterMs: number): void {
    const now = Date.now();
    // The requests of one burst are refused together: slow down once for all of them.
    if (now >= this.#pausedUntil) {
      this.#intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.#intervalMs * 2));
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
  }

  succeeded(): void {
    this.#intervalMs =
      this.#intervalMs * EASE_PER_SUCCESS < MIN_INTERVAL_MS / 2 ? 0 : this.#intervalMs * EASE_PER_SUCCESS;
  }
}

/** One HTTP answer, read whole. */
interface HttpAnswer {
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

export class TranslatorClient {
  readonly #connection: ServiceConnection;
  readonly #limits: RequestLimits;
  // One pace for every request of the step: the step has one client.
  readonly #throttle = new Throttle();
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

  /** Where requests go, as the log names it: the service root and the api-version. */
  get where(): string {
    return `${this.#connection.serviceBase} (api-version ${this.#connection.apiVersion})`;
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
    const { maxRetries, deadline, interrupt, log } = this.#limits;
    const throttle = this.#throttle;
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
