// The Document Translation service's requests: the only module that sends them. Each request is
// retried on transient failures within the step's deadline, at the step's shared pace, and stops
// when the runner cancels the step.

import type { RequestStopReason, ServiceError, StopReason } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { plural } from '../common/numbers.ts';
import type { Connections, Failure, HttpAnswer } from './http.ts';
import { attemptLimits, isRetryableStatus, type Pace, type RequestLimits, retrying, sleep } from './retry.ts';

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

class Throttle implements Pace {
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

  answered(status: number, retryAfterMs: number): void {
    if (status === 429) this.#throttled(retryAfterMs);
    else if (!isRetryableStatus(status)) this.#succeeded();
  }

  #throttled(retryAfterMs: number): void {
    const now = Date.now();
    // The requests of one burst are refused together: slow down once for all of them.
    if (now >= this.#pausedUntil) {
      this.#intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.#intervalMs * 2));
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
  }

  #succeeded(): void {
    this.#intervalMs =
      this.#intervalMs * EASE_PER_SUCCESS < MIN_INTERVAL_MS / 2 ? 0 : this.#intervalMs * EASE_PER_SUCCESS;
  }
}

/** A request's result: its HTTP answer, or, when none came, the error that says why. */
type Answered =
  | {
      answer: HttpAnswer & {
        attempts: number;
        /** Set when this is a transient failure that was not retried further. */
        stoppedBy?: RequestStopReason;
      };
    }
  | {
      error: ServiceError;
      /** 0 when no request was sent: the step's time or the runner's cancel came first. */
      attempts: number;
    };

/**
 * No HTTP answer: refused, reset, timed out, the proxy's doing, or the step was cancelled
 * (Interrupted). A time-out is a network failure too: its message says that the step's time ran out.
 */
function noAnswer(
  code: typeof ErrorCode.NetworkError | typeof ErrorCode.ProxyError | typeof ErrorCode.Interrupted,
  message: string,
  attempts: number,
): Answered {
  return { error: { code, message }, attempts };
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
  // One pool of connections (and proxies) for the whole step; redirects are never followed, so the
  // credential cannot be carried to another host.
  readonly #connections: Connections;

  constructor(connection: ServiceConnection, limits: RequestLimits, connections: Connections) {
    this.#connection = connection;
    this.#connections = connections;
    this.#limits = limits;
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
        attempts: 0,
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
    const { authHeaders, userAgent } = this.#connection;
    const headers = { accept: 'application/json', 'user-agent': userAgent, ...authHeaders };
    const limits = this.#limits;
    const { last, attempts, stoppedBy } = await retrying(
      what,
      limits,
      () => this.#connections.send(url, { method, headers }, attemptLimits(limits)),
      this.#throttle,
    );
    if (last && 'answer' in last) return { answer: { ...last.answer, attempts, stoppedBy } };
    return this.#noAnswer(last?.failure, attempts, stoppedBy, url);
  }

  /** Why no answer came: the last attempt's failure (none when none was sent), and why it was not tried again. */
  #noAnswer(
    failure: Failure | undefined,
    attempts: number,
    stoppedBy: RequestStopReason | undefined,
    url: URL,
  ): Answered {
    const ranOut = this.#limits.deadline.describe();
    if (stoppedBy === 'interrupt') {
      const when = attempts === 0 ? 'the request was sent' : `${url.host} answered`;
      return noAnswer(ErrorCode.Interrupted, `the runner cancelled the step before ${when}.`, attempts);
    }
    if (!failure) {
      return noAnswer(ErrorCode.NetworkError, `${ranOut} ran out before the request was sent.`, attempts);
    }
    const tries = plural(attempts, 'attempt');
    if (failure.proxy) {
      const when = stoppedBy === 'timeout' ? `, when ${ranOut} ran out` : '';
      return noAnswer(ErrorCode.ProxyError, `${failure.text} (after ${tries}${when}).`, attempts);
    }
    if (stoppedBy === 'timeout') {
      return noAnswer(
        ErrorCode.NetworkError,
        `${ranOut} ran out after ${tries}; the last got ${failure.text} from ${url.host}.`,
        attempts,
      );
    }
    return noAnswer(
      ErrorCode.NetworkError,
      `${failure.text} from ${url.host} after ${tries}: check the endpoint and the runner's network.`,
      attempts,
    );
  }
}
