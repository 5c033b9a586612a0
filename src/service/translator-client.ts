// The Document Translation service's requests, and its answers read: the only module that sends them
// and reads the wire format (through wire.ts); it answers in the batch's words (batch-client.ts).
// Each request is retried on transient failures within the step's deadline, at the step's shared pace
// (pace.ts), and stops when the runner cancels the step.

import type { RequestStopReason, ServiceError, StatusRead } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { plural } from '../common/numbers.ts';
import type { BatchClient, CancelAnswer, PageAnswer } from './batch-client.ts';
import { afterAnswer, type Connections, type HttpAnswer } from './http.ts';
import { type Failure, saysItsOwnFix } from './http-failure.ts';
import { Throttle } from './pace.ts';
import { attemptLimits, type RequestLimits, retrying } from './retry.ts';
import {
  describeAnswerBody,
  parseBatchPage,
  parseServiceError,
  parseTranslationStatus,
  redirectError,
} from './wire.ts';

interface ServiceConnection {
  /** The service root, e.g. https://my-translator.cognitiveservices.azure.com, without a trailing slash. */
  serviceBase: string;
  apiVersion: string;
  /** The credential's headers: a key (and region), or a bearer token. */
  authHeaders: Record<string, string>;
  userAgent: string;
}

/** A request's HTTP answer and how it came, or, when none came, the error that says why. */
type Sent =
  | { answer: HttpAnswer; attempts: number; stoppedBy?: RequestStopReason }
  | {
      error: ServiceError;
      attempts: number;
      /** Whether any attempt's request left: not when the step's time or the runner's cancel came first. */
      left: boolean;
    };

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

export class TranslatorClient implements BatchClient {
  readonly limits: RequestLimits;
  readonly #connection: ServiceConnection;
  // One pace for every request of the step: the step has one client.
  readonly #throttle = new Throttle();
  // One pool of connections (and proxies) for the whole step; redirects are never followed, so the
  // credential cannot be carried to another host.
  readonly #connections: Connections;
  // The batches an answer was read for in this turn of the event loop (see #send).
  readonly #justAnswered = new Set<string>();

  constructor(connection: ServiceConnection, limits: RequestLimits, connections: Connections) {
    this.#connection = connection;
    this.#connections = connections;
    this.limits = limits;
  }

  get where(): string {
    return `${this.#connection.serviceBase} (api-version ${this.#connection.apiVersion})`;
  }

  batchesUrl(query: Record<string, string>): URL {
    return batchApiUrl(this.#connection, '', query);
  }

  async listPage(url: URL): Promise<PageAnswer> {
    const base = new URL(this.#connection.serviceBase);
    if (url.origin !== base.origin) {
      const message = `the list's next-page link points at ${url.host}, not ${base.host}: not followed, ${CREDENTIAL_STAYS}.`;
      return { error: { code: ErrorCode.ForeignPageLink, message } };
    }
    const sent = await this.#send('GET', url, 'List of batches');
    if ('error' in sent) return { error: sent.error };
    const { status, body, contentType } = sent.answer;
    const page = status === 200 ? parseBatchPage(body) : undefined;
    return page ?? { error: parseServiceError(status, body, contentType) };
  }

  async cancel(id: string): Promise<CancelAnswer> {
    const sent = await this.#send('DELETE', this.#batchUrl(id), `Cancel of batch ${id}`, id);
    if ('error' in sent) {
      const notSent = !sent.left && sent.error.code === ErrorCode.Interrupted;
      return { kind: 'no answer', error: sent.error, notSent };
    }
    const { answer, attempts, stoppedBy } = sent;
    const delivery = { requestId: answer.requestId, attempts, stoppedBy };
    if (answer.status >= 200 && answer.status < 300) {
      const status = parseTranslationStatus(answer.body);
      if (status) return { kind: 'status', status, retryAfterMs: answer.retryAfterMs, ...delivery };
      const body = describeAnswerBody(answer.status, answer.body, answer.contentType);
      return { kind: 'no status', httpStatus: answer.status, body, ...delivery };
    }
    const error =
      answer.status >= 300 && answer.status < 400
        ? redirectError(answer.status, answer.location)
        : parseServiceError(answer.status, answer.body, answer.contentType);
    return { kind: 'refused', error, ...delivery };
  }

  async readStatus(id: string): Promise<StatusRead> {
    const sent = await this.#send('GET', this.#batchUrl(id), `Status of batch ${id}`, id);
    if ('error' in sent) {
      if (sent.error.code === ErrorCode.Interrupted) return { stoppedBy: 'interrupt' };
      if (this.limits.deadline.remainingMs() <= 0) return { stoppedBy: 'timeout' };
      return { error: sent.error };
    }
    const { answer, stoppedBy } = sent;
    if (stoppedBy === 'timeout' || stoppedBy === 'interrupt') return { stoppedBy };
    const status = answer.status === 200 ? parseTranslationStatus(answer.body) : undefined;
    if (!status) return { error: parseServiceError(answer.status, answer.body, answer.contentType) };
    return { status, age: answer.age, retryAfterMs: answer.retryAfterMs };
  }

  #batchUrl(id: string): URL {
    return batchApiUrl(this.#connection, `/${encodeURIComponent(id)}`);
  }

  /**
   * One request, retried as retry.ts says. A request about a batch whose answer was read in this same
   * turn of the event loop (a status read after a cancel, a cancel after guard's check) waits for the
   * next turn first: undici takes a socket back only then, and a request sent before opens a second
   * connection, with its handshakes (afterAnswer in http.ts). Requests about other batches go at once.
   */
  async #send(method: 'GET' | 'DELETE', url: URL, what: string, batch?: string): Promise<Sent> {
    if (batch !== undefined && this.#justAnswered.has(batch)) await afterAnswer();
    const { authHeaders, userAgent } = this.#connection;
    const headers = { accept: 'application/json', 'user-agent': userAgent, ...authHeaders };
    const limits = this.limits;
    let left = false;
    const { last, attempts, stoppedBy } = await retrying(
      what,
      limits,
      async () => {
        const attempt = await this.#connections.send(url, { method, headers }, attemptLimits(limits));
        left ||= !('failure' in attempt && attempt.failure.unsent);
        return attempt;
      },
      this.#throttle,
    );
    if (last && 'answer' in last) {
      if (batch !== undefined) this.#answered(batch);
      return { answer: last.answer, attempts, stoppedBy };
    }
    return this.#noAnswer(last?.failure, { attempts, left }, stoppedBy, url);
  }

  #answered(batch: string): void {
    if (this.#justAnswered.size === 0) setImmediate(() => this.#justAnswered.clear());
    this.#justAnswered.add(batch);
  }

  /**
   * Why no answer came: the last attempt's failure (none when none was made), how many were made and
   * whether any request left, and why it was not tried again.
   */
  #noAnswer(
    failure: Failure | undefined,
    { attempts, left }: { attempts: number; left: boolean },
    stoppedBy: RequestStopReason | undefined,
    url: URL,
  ): Sent {
    const ranOut = this.limits.deadline.describe();
    const error = (code: string, message: string): Sent => ({ error: { code, message }, attempts, left });
    if (stoppedBy === 'interrupt') {
      const when = left ? `${url.host} answered` : 'the request was sent';
      return error(ErrorCode.Interrupted, `the runner cancelled the step before ${when}.`);
    }
    if (!failure) return error(ErrorCode.NetworkError, `${ranOut} ran out before the request was sent.`);
    const tries = plural(attempts, 'attempt');
    if (failure.proxy) {
      const when = stoppedBy === 'timeout' ? `, when ${ranOut} ran out` : '';
      return error(ErrorCode.ProxyError, `${failure.text} (after ${tries}${when}).`);
    }
    if (stoppedBy === 'timeout') {
      return error(
        ErrorCode.NetworkError,
        `${ranOut} ran out after ${tries}; the last got ${failure.text} from ${url.host}.`,
      );
    }
    if (saysItsOwnFix(failure)) return error(ErrorCode.NetworkError, `${failure.text}.`);
    return error(ErrorCode.NetworkError, `${failure.text} from ${url.host} after ${tries}.`);
  }
}
