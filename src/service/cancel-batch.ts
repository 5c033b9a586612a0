// Cancels one batch and works out what really happened. The outcome comes from the batch's status in
// the answer, not from the HTTP code: the live service answers 200 to a cancel of a batch that has
// already finished, with the batch unchanged. The documented 400/409 for that case is still read
// (confirmed by a GET), since no traffic shows whether some service version sends it. The answer to
// a cancel that starts one carries a summary of all zeros (every recording), so the batch's counts
// come from a status read right after it, or from a status this step already read.

import {
  type AcceptedResult,
  type BatchResult,
  hasCounts,
  isFinalStatus,
  type ServiceError,
  statusKind,
  type Target,
  type TranslationStatus,
  withCountsOf,
} from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { describeBatches } from '../common/numbers.ts';
import type { BatchClient } from './batch-client.ts';
import { CONCURRENCY, mapConcurrently } from './concurrency.ts';
import { pollStatus, readStatus, type StatusSource, statusOrError, stoppedError } from './poll-status.ts';

// The status GET can be served from a cache this long after a cancel.
const STATUS_CACHE_MS = 65_000;
const FIRST_WAIT_POLL_MS = 1_000;

/** Batch `id`'s status, as the client reads it. */
function statusOf(client: BatchClient, id: string): StatusSource {
  return { id, read: () => client.readStatus(id) };
}

/** A status the action does not know: the service may have added one. */
function unknownStatusError(status: TranslationStatus): ServiceError {
  return {
    code: ErrorCode.UnexpectedStatus,
    message: `the service says the batch's status is ${JSON.stringify(status.status)}, which this action does not know, so whether it is being cancelled is not known`,
  };
}

/**
 * The batch's counts for a cancel just accepted, whose answer has none: those this step already
 * read, else from one status read. The status stays as the cancel left it when the read is a cached
 * one from before the cancel.
 */
async function withCounts(
  client: BatchClient,
  accepted: AcceptedResult,
  known: TranslationStatus | undefined,
): Promise<BatchResult> {
  if (hasCounts(known)) return { ...accepted, status: withCountsOf(accepted.status, known) };
  const read = await readStatus(statusOf(client, accepted.id), client.limits, accepted.status);
  if (read.error) return { ...accepted, countsError: read.error };
  if (read.stoppedBy) return { ...accepted, countsError: stoppedError(read.stoppedBy, client.limits) };
  return { ...accepted, status: read.status ?? accepted.status };
}

/**
 * What a batch's status says of a cancel the service accepted (2xx): Cancelling, or the status from
 * before the cancel (older service versions), is a cancel requested; Succeeded, Failed or
 * ValidationFailed, a batch that had finished and was left as it was. `cancelledBefore`: a Cancelled
 * status means the batch was cancelled before this cancel.
 */
function resultOfStatus(id: string, status: TranslationStatus, cancelledBefore: boolean): BatchResult {
  switch (statusKind(status.status)) {
    case 'in-flight':
      return { id, outcome: 'cancel-requested', status };
    case 'cancelled':
      return {
        id,
        outcome: cancelledBefore && isFinalStatus(status.status) ? 'already-cancelled' : 'cancel-requested',
        status,
      };
    case 'finished':
      return { id, outcome: 'already-finished', status };
    case 'unknown':
      return { id, outcome: 'error', status, error: unknownStatusError(status) };
  }
}

/** Polls an accepted cancel until the batch reaches a final status or the step's time runs out. */
async function waitUntilFinal(
  client: BatchClient,
  result: AcceptedResult,
  firstDelayMs: number | undefined,
): Promise<BatchResult> {
  if (isFinalStatus(result.status.status)) return result;
  const polled = await pollStatus(statusOf(client, result.id), client.limits, {
    known: result.status,
    until: (status) => isFinalStatus(status.status),
    firstDelayMs: Math.max(firstDelayMs ?? 0, FIRST_WAIT_POLL_MS),
  });
  const status = polled.status ?? result.status;
  if (polled.error) return { ...result, status, error: polled.error, waitStoppedBy: 'error' };
  return { ...result, status, error: undefined, waitStoppedBy: polled.stoppedBy };
}

/** A 2xx answer to a cancel whose body is no status, when reading the status afterwards failed too. */
function unreadableCancelAnswer(
  answered: { httpStatus: number; body: string },
  readError: ServiceError | undefined,
): ServiceError {
  const why = readError
    ? `reading its status afterwards failed too (${readError.code}: ${readError.message.replace(/\.$/, '')})`
    : "the step's time ran out before its status could be read";
  return {
    code: ErrorCode.UnexpectedResponse,
    message: `The cancel was answered ${answered.body.replace(/\.$/, '')}; ${why}.`,
    httpStatus: answered.httpStatus,
  };
}

async function cancelBatch(
  client: BatchClient,
  id: string,
  { wait, known }: { wait: boolean; known?: TranslationStatus },
): Promise<BatchResult> {
  const answer = await client.cancel(id);
  if (answer.kind === 'no answer') {
    return { id, outcome: 'error', error: answer.error, ...(answer.notSent && { notSent: true as const }) };
  }
  const { requestId, attempts, stoppedBy } = answer;

  if (answer.kind === 'no status') {
    // A body that is no status (cut off, or a proxy's page) says nothing: the batch's status is read.
    const read = await readStatus(statusOf(client, id), client.limits);
    if (!read.status) {
      const error = unreadableCancelAnswer(answer, read.error);
      return { id, outcome: 'error', error, requestId, attempts, stoppedBy };
    }
    const answered = { ...resultOfStatus(id, read.status, false), requestId, attempts };
    return answered.outcome === 'cancel-requested' && wait
      ? waitUntilFinal(client, answered, undefined)
      : answered;
  }
  if (answer.kind === 'status') {
    const { status } = answer;
    // Only the cancel's own first answer can say the batch was cancelled before it: a Cancelled read
    // afterwards, or after a retry, may be this cancel's doing.
    const answered = { ...resultOfStatus(id, status, attempts === 1), requestId, attempts };
    if (answered.outcome !== 'cancel-requested') return answered;
    // A final status is the batch unchanged, with its counts; the answer to a cancel that starts
    // one has zeros instead of the batch's counts.
    if (isFinalStatus(status.status))
      return wait ? waitUntilFinal(client, answered, answer.retryAfterMs) : answered;
    const accepted = { ...answered, status: withCountsOf(status, undefined) };
    return wait ? waitUntilFinal(client, accepted, answer.retryAfterMs) : withCounts(client, accepted, known);
  }

  const { error } = answer;
  if (error.httpStatus !== 400 && error.httpStatus !== 409) {
    return { id, outcome: 'error', error, requestId, attempts, stoppedBy };
  }

  // The service refuses to cancel a batch that has finished or is already being cancelled, with an
  // undocumented error: only the batch's status tells which. Right after a cancel that status may be
  // served stale from a cache, still in flight, so it is polled until the cache catches up.
  const confirmed = await pollStatus(statusOf(client, id), client.limits, {
    until: (status) => statusKind(status.status) !== 'in-flight',
    firstDelayMs: 0,
    maxDurationMs: STATUS_CACHE_MS,
  });
  const { status } = confirmed;
  const kind = status ? statusKind(status.status) : 'unknown';
  if (status && kind === 'cancelled') {
    // A cancel refused after earlier attempts means one of those got through.
    const outcome = attempts > 1 ? 'cancel-requested' : 'already-cancelled';
    const cancelled: AcceptedResult = { id, outcome, status, requestId, attempts };
    return wait ? waitUntilFinal(client, cancelled, undefined) : cancelled;
  }
  if (status && kind === 'finished')
    return { id, outcome: 'already-finished', status, error, requestId, attempts };
  return { id, outcome: 'error', status, error, requestId, attempts };
}

/**
 * What a cancel would do, without sending it (dry-run): the batch's status decides. `known` is its
 * status when the list already gave it.
 */
async function previewCancel(
  client: BatchClient,
  id: string,
  known: TranslationStatus | undefined,
): Promise<BatchResult> {
  const read = known ? { status: known } : await statusOrError(statusOf(client, id), client.limits);
  if ('error' in read) return { id, outcome: 'error', error: read.error };
  const { status } = read;
  switch (statusKind(status.status)) {
    case 'cancelled':
      return { id, outcome: 'already-cancelled', status };
    case 'finished':
      return { id, outcome: 'already-finished', status };
    case 'in-flight':
      return { id, outcome: 'would-cancel', status };
    default:
      return { id, outcome: 'error', status, error: unknownStatusError(status) };
  }
}

/** track: the batch's status, read once so that the ledger shows it and a wrong id fails here. */
export async function trackBatch(client: BatchClient, id: string): Promise<BatchResult> {
  const read = await statusOrError(statusOf(client, id), client.limits);
  return 'error' in read ? { id, outcome: 'error', error: read.error } : { id, outcome: 'tracked', ...read };
}

/** Guard mode's post step in a dry run: would the batch be cancelled, or is it left alone? */
export async function previewGuard(client: BatchClient, id: string): Promise<BatchResult> {
  const preview = await previewCancel(client, id, undefined);
  if (preview.outcome === 'would-cancel' || preview.outcome === 'error' || !preview.status) return preview;
  return { id, outcome: 'left-alone', status: preview.status };
}

/**
 * Guard mode's post step: cancels the batch only if it is still NotStarted or Running; a batch
 * that finished or is being cancelled is left alone.
 */
export async function guardBatch(client: BatchClient, id: string): Promise<BatchResult> {
  const preview = await previewGuard(client, id);
  if (preview.outcome !== 'would-cancel') return preview;
  return cancelBatch(client, id, { wait: false, known: preview.status });
}

function notSent(id: string): BatchResult {
  const message = 'the runner cancelled the step before the request was sent.';
  return { id, outcome: 'error', error: { code: ErrorCode.Interrupted, message }, notSent: true };
}

/** Cancels each target (or, in a dry run, says what a cancel would do); a refused target is an error result. */
export async function cancelAll(
  client: BatchClient,
  targets: readonly Target[],
  { dryRun, wait }: { dryRun: boolean; wait: boolean },
): Promise<BatchResult[]> {
  const doing = dryRun ? 'Dry run: checking' : 'Cancelling';
  client.limits.log(`${doing} ${describeBatches(targets.map((target) => target.id))} at ${client.where}.`);
  const act = dryRun
    ? (target: Target) => previewCancel(client, target.id, target.listed)
    : (target: Target) => cancelBatch(client, target.id, { wait, known: target.listed });
  return mapConcurrently(targets, CONCURRENCY, async (target): Promise<BatchResult> => {
    if (target.refused) return { id: target.id, outcome: 'error', error: target.refused };
    // Once the runner cancels the step, the batches not yet acted on are not sent anything.
    if (client.limits.interrupt.aborted) return notSent(target.id);
    return act(target);
  });
}
