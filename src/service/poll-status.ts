// Polls a batch's status until it satisfies a condition, within the step's deadline. The status GET
// may be served from a cache for up to a minute after a cancel, still showing the status from before
// it: a status never goes backwards from Cancelling here. Such a cached answer still has the batch's
// counts, which the cancel's own answer lacks. The client reads (BatchClient.readStatus); this module
// decides when to read and what the reads add up to.

import {
  hasCounts,
  type ServiceError,
  type StatusRead,
  type StopReason,
  statusKind,
  type TranslationStatus,
  withCountsOf,
} from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { formatSeconds, type RequestLimits, sleep } from './retry.ts';

// No wait between checks is longer, whatever Retry-After says: a day-long Retry-After on a batch
// that turns Cancelled in seconds would otherwise end the wait without a look.
const MAX_POLL_INTERVAL_MS = 10_000;
const POLL_GROWTH = 1.5;
// The last check is made this long before the step's time runs out, for its answer to arrive.
const LAST_CHECK_MARGIN_MS = 1_000;

interface PollOptions {
  /** The status known so far, if any: polling goes on from it and never backwards from Cancelling. */
  known?: TranslationStatus;
  /** Stop when this holds for the status. */
  until: (status: TranslationStatus) => boolean;
  /** Wait before the first poll. */
  firstDelayMs: number;
  /** Stop polling after this long, even with time left in the step. */
  maxDurationMs?: number;
}

/** A batch whose status can be read, and how (through the client: BatchClient.readStatus). */
export interface StatusSource {
  id: string;
  read: () => Promise<StatusRead>;
}

interface PollResult {
  /** The latest status known: the last fresh answer, or `known`. */
  status?: TranslationStatus;
  /** Set when a poll failed with an error that is not worth retrying. */
  error?: ServiceError;
  /** Set when polling stopped before `until` held. */
  stoppedBy?: StopReason;
}

/** A cached status from before the cancel, which must not replace a Cancelling one. */
function goesBackwards(known: TranslationStatus | undefined, next: TranslationStatus): boolean {
  return statusKind(known?.status) === 'cancelled' && statusKind(next.status) === 'in-flight';
}

/**
 * What is known after an answer: `next`, unless it is a cached status from before the cancel; then
 * the status stays, and takes the cached counts where it has none (a cancel's answer carries none).
 */
function latest(known: TranslationStatus | undefined, next: TranslationStatus): TranslationStatus {
  if (!known || !goesBackwards(known, next)) return next;
  return hasCounts(known) ? known : withCountsOf(known, next);
}

/** Reads the batch's status until `options.until` holds for it, or polling has to stop. */
export async function pollStatus(
  { id, read }: StatusSource,
  limits: RequestLimits,
  options: PollOptions,
): Promise<PollResult> {
  const { deadline, interrupt, log } = limits;
  const stopAt = Date.now() + (options.maxDurationMs ?? Number.POSITIVE_INFINITY);
  let status = options.known;
  let delay = Math.min(options.firstDelayMs, MAX_POLL_INTERVAL_MS);
  for (;;) {
    const remaining = deadline.remainingMs();
    if (delay >= remaining) {
      if (remaining <= LAST_CHECK_MARGIN_MS) return { status, stoppedBy: 'timeout' };
      delay = remaining - LAST_CHECK_MARGIN_MS;
    }
    if (Date.now() + delay > stopAt) return { status, stoppedBy: 'timeout' };
    if (delay > 0 && !(await sleep(delay, interrupt))) return { status, stoppedBy: 'interrupt' };

    const answer = await read();
    if ('stoppedBy' in answer) return { status, stoppedBy: answer.stoppedBy };
    if ('error' in answer) return { status, error: answer.error };
    const next = answer.status;

    const cached = answer.age === undefined ? '' : ` (from the service's cache, ${answer.age} s old)`;
    const stale = goesBackwards(status, next);
    status = latest(status, next);
    if (options.until(status)) return { status };

    const grown = Math.max(1000, delay * POLL_GROWTH);
    delay = Math.min(MAX_POLL_INTERVAL_MS, Math.max(answer.retryAfterMs ?? 0, grown));
    const shown = stale
      ? `${next.status}${cached}, older than the cancel, so still ${status.status}`
      : `${next.status}${cached}`;
    log(`Status of batch ${id}: ${shown}; next check in ${formatSeconds(delay)}.`);
  }
}

/** The batch's status, read once, going on from `known`. */
export function readStatus(
  batch: StatusSource,
  limits: RequestLimits,
  known?: TranslationStatus,
): Promise<PollResult> {
  return pollStatus(batch, limits, { known, until: () => true, firstDelayMs: 0 });
}

/** Why a status read stopped before an answer, as an error. */
export function stoppedError(stoppedBy: StopReason, limits: RequestLimits): ServiceError {
  return stoppedBy === 'timeout'
    ? {
        code: ErrorCode.NetworkError,
        message: `${limits.deadline.describe()} ran out before the batch's status could be read.`,
      }
    : {
        code: ErrorCode.Interrupted,
        message: "the runner cancelled the step before the batch's status could be read.",
      };
}

/** The batch's status, read once; or the error that says why there is none. */
export async function statusOrError(
  batch: StatusSource,
  limits: RequestLimits,
): Promise<{ status: TranslationStatus } | { error: ServiceError }> {
  const read = await readStatus(batch, limits);
  if (read.error) return { error: read.error };
  if (read.status) return { status: read.status };
  return { error: stoppedError(read.stoppedBy ?? 'timeout', limits) };
}
