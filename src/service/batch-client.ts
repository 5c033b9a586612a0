// What a client of the service answers, in the batch's words: a status, a page of the list, a
// service error, or why no answer came. The client (translator-client.ts) alone reads the wire format;
// cancel-batch.ts, poll-status.ts and discover.ts work with these.
import type { RequestStopReason, ServiceError, StatusRead, TranslationStatus } from '../common/batch.ts';
import type { RequestLimits } from './retry.ts';

/** How an answer came: its request id, how many times the request was sent, and why retrying stopped. */
interface Delivery {
  /** The apim-request-id of the answer: what Azure support asks for. */
  requestId?: string;
  attempts: number;
  /** Set when the answer is a transient failure that was not tried again. */
  stoppedBy?: RequestStopReason;
}

/** The service's answer to a cancel. */
export type CancelAnswer =
  /** A 2xx with the batch's status. */
  | ({ kind: 'status'; status: TranslationStatus; retryAfterMs?: number } & Delivery)
  /** A 2xx whose body is no status (cut off, or a proxy's page), in words. */
  | ({ kind: 'no status'; httpStatus: number; body: string } & Delivery)
  /** Any other answer: a refusal (400, 409 and every other status), or a redirect, which is never followed. */
  | ({ kind: 'refused'; error: ServiceError } & Delivery)
  /** No answer; `notSent` when the request was never sent (the step's time or the runner's cancel came first). */
  | { kind: 'no answer'; error: ServiceError; notSent: boolean };

/** A page of the batch list, or why there is none. */
export type PageAnswer = { batches: TranslationStatus[]; nextLink?: string } | { error: ServiceError };

/** A client of the service, signed in, bound to the step's limits. */
export interface BatchClient {
  /** The step's time, retries and the runner's cancel, which bound every request and wait. */
  readonly limits: RequestLimits;
  /** Where requests go, as the log names it: the service root and the api-version. */
  readonly where: string;
  /** The first page of batches matching `query` (statuses, createdDateTimeUtcEnd, ids, …). */
  batchesUrl(query: Record<string, string>): URL;
  /** A page of the batch list; `url` is batchesUrl() or a page's next link, which must stay on the endpoint. */
  listPage(url: URL): Promise<PageAnswer>;
  cancel(id: string): Promise<CancelAnswer>;
  readStatus(id: string): Promise<StatusRead>;
}
