// A batch as every folder speaks of it: its id, its status as the service spells it and what each
// status means, its counts, an error, why a retry or a wait stopped, and what the step learned of it
// (its result, by outcome). service/wire.ts reads these from the service's answers; the report, the
// outputs and the ledger read them. This module imports nothing of the action's.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID in any letter case: the form of batch ids, client ids and tenant ids. */
export function isGuid(text: string): boolean {
  return GUID.test(text);
}

/** The counts a batch's summary may carry; the image counts are sent by newer api-versions only. */
export const COUNT_FIELDS = [
  'total',
  'failed',
  'success',
  'inProgress',
  'notYetStarted',
  'cancelled',
  'totalCharacterCharged',
  // Image scans from 2024-11-01-preview, images charged from 2025-12-01-preview.
  'totalImageScansSucceeded',
  'totalImageScansFailed',
  'totalImageCharged',
] as const;

export type BatchCounts = Partial<Record<(typeof COUNT_FIELDS)[number], number>>;

/** An error as the service words it inside a body. */
interface ErrorDetail {
  code?: string;
  message?: string;
  target?: string;
  innerError?: { code?: string; message?: string };
}

/** A batch's status as the service gave it, its counts checked. */
export interface TranslationStatus {
  id: string;
  createdDateTimeUtc?: string;
  lastActionDateTimeUtc?: string;
  /** An open set: a status this action has never seen passes through. */
  status: string;
  /** The counts that are whole numbers of 0 or more; absent when the service sent none it could use. */
  counts?: BatchCounts;
  /** The counts the service sent in another form (a string, a fraction, 1e400): left out. */
  unreadableCounts?: readonly string[];
  error?: ErrorDetail;
}

/** An error as this action reports it: the service's own words where it gave them. */
export interface ServiceError {
  /** Normalized: a documented code, else one derived from the HTTP status; NetworkError or Interrupted without an answer. */
  code: string;
  message: string;
  target?: string;
  innerCode?: string;
  innerMessage?: string;
  /** Absent when no HTTP answer came. */
  httpStatus?: number;
}

/** The status values the service documents (the wire spells Cancelled and Cancelling with two Ls). */
export const STATUSES = [
  'NotStarted',
  'Running',
  'Succeeded',
  'Failed',
  'ValidationFailed',
  'Cancelling',
  'Cancelled',
] as const;

type StatusKind = 'cancelled' | 'finished' | 'in-flight' | 'unknown';

/** Sorts a status value; the wire spells Cancelled/Cancelling, the docs and some SDKs Canceled. */
export function statusKind(status: string | undefined): StatusKind {
  switch (status?.toLowerCase()) {
    case 'cancelled':
    case 'canceled':
    case 'cancelling':
    case 'canceling':
      return 'cancelled';
    case 'succeeded':
    case 'failed':
    case 'validationfailed':
      return 'finished';
    case 'notstarted':
    case 'running':
      return 'in-flight';
    default:
      return 'unknown';
  }
}

/** Whether a status value is one a batch has stopped for good in: Cancelled (either spelling), Succeeded, Failed, ValidationFailed. */
export function isFinalStatus(status: string | undefined): boolean {
  const kind = statusKind(status);
  return kind === 'finished' || (kind === 'cancelled' && /^cancel+ed$/i.test(status ?? ''));
}

/** Whether the service gave counts for the batch, usable or not. */
export function hasCounts(status: TranslationStatus | undefined): boolean {
  return status?.counts !== undefined || status?.unreadableCounts !== undefined;
}

/** `status` with the counts of `source` instead of its own; none when `source` has none. */
export function withCountsOf(
  status: TranslationStatus,
  source: TranslationStatus | undefined,
): TranslationStatus {
  const { counts: _own, unreadableCounts: _ownUnreadable, ...rest } = status;
  const { counts, unreadableCounts } = source ?? {};
  return { ...rest, ...(counts && { counts }), ...(unreadableCounts && { unreadableCounts }) };
}

/**
 * Why retrying, waiting or polling stopped before it was done: the step's time ran out, or the runner
 * cancelled the step. One vocabulary from the throttle up to the verdict.
 */
export type StopReason = 'timeout' | 'interrupt';

/** Why a request stopped being retried while its last answer was still a transient failure. */
export type RequestStopReason = StopReason | 'retries';

/** One read of a batch's status: the status and what its answer said of the cache and the pace, or why there is none. */
export type StatusRead =
  | {
      status: TranslationStatus;
      /** Seconds the answer spent in the service's cache, when it came from there. */
      age?: number;
      retryAfterMs?: number;
    }
  | { error: ServiceError }
  | { stoppedBy: StopReason };

/** A batch a mode is to act on. */
export interface Target {
  id: string;
  /** The status the list or the ledger gave. */
  listed?: TranslationStatus;
  /** Why the target is not sent anywhere: the list gave an id that is not a batch id, or the ledger another host. */
  refused?: ServiceError;
}

/** Every outcome a batch can have; the outcome output is one of these, or Mixed. */
export const OUTCOMES = [
  'cancel-requested',
  'already-cancelled',
  'already-finished',
  'would-cancel',
  'left-alone',
  'tracked',
  'error',
] as const;

/** What every result may carry, whatever its outcome. */
interface AnyResult {
  id: string;
  /** The apim-request-id of the cancel request's answer. */
  requestId?: string;
  /** How many times the cancel was sent. */
  attempts?: number;
  /** Set when the runner cancelled the step before the cancel was sent: nothing reached the service. */
  notSent?: true;
  /** Why the batch's counts are not known: the status read after the cancel failed. */
  countsError?: ServiceError;
}

/** The service is cancelling the batch, or an earlier cancel already had. */
export type AcceptedResult = AnyResult & {
  outcome: 'cancel-requested' | 'already-cancelled';
  status: TranslationStatus;
} & (
    | {
        /** Set when waiting for a final status ended before one came. */ waitStoppedBy?: StopReason;
        error?: undefined;
      }
    | { /** Waiting for a final status failed, for `error`. */ waitStoppedBy: 'error'; error: ServiceError }
  );

/**
 * What the step learned of one batch, by outcome: each carries what that outcome has, and an error
 * only where there is one (a finished batch's error is the service's refusal of the cancel, when it
 * refused).
 */
export type BatchResult =
  | AcceptedResult
  | (AnyResult & { outcome: 'already-finished'; status: TranslationStatus; error?: ServiceError })
  | (AnyResult & { outcome: 'would-cancel' | 'left-alone'; status: TranslationStatus; error?: undefined })
  | (AnyResult & { outcome: 'tracked'; status?: TranslationStatus; error?: undefined })
  | (AnyResult & {
      outcome: 'error';
      error: ServiceError;
      /** The latest status the service gave, when it gave one. */
      status?: TranslationStatus;
      /** Set when the cancel's last answer was a transient failure that was not retried further. */
      stoppedBy?: RequestStopReason;
    });

/** A count added up over the results that have it; undefined when none does. */
export function totalOf(results: readonly BatchResult[], field: keyof BatchCounts): number | undefined {
  const counts = results
    .map((result) => result.status?.counts?.[field])
    .filter((count) => count !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}
