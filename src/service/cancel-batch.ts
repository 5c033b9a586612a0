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
  statusKind,
  type Target,
  type TranslationStatus,
  withCountsOf,
} from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { describeBatches } from '../common/numbers.ts';
import type { Cancelling } from '../common/types.ts';
import { CONCURRENCY, mapConcurrently } from './concurrency.ts';
import { afterAnswer } from './http.ts';
import {
  pollStatus,
  readStatus,
  type StatusRead,
  type StatusSource,
  statusOrError,
  stoppedError,
} from './poll-status.ts';
import type { RequestLimits } from './retry.ts';
import type { TranslatorClient } from './translator-client.ts';
import {
  parseServiceError,
  parseTranslationStatus,
  redirectError,
  unknownStatusError,
  unreadableCancelAnswer,
} from './wire.ts';

/** What else a cancel works with. */
interface CancelOptions {
  /** Wait for a final status. */
  wait: boolean;
  /** The batch's status as this step already read it (the list, guard's check): its counts are used. */
  known?: TranslationStatus;
}

// The status GET can be served from a cache this long after a cancel.
const STATUS_CACHE_MS = 65_000;
const FIRST_WAIT_POLL_MS = 1_000;

/** Batch `id`'s status, read through `client`: the answer read, and a read cut off told apart from a failed one. */
function statusSource(client: TranslatorClient, id: string, limits: RequestLimits): StatusSource {
  const read = async (): Promise<StatusRead> => {
    const sent = await client.getStatus(id);
    if ('error' in sent) {
      if (sent.error.code === ErrorCode.Interrupted) return { stoppedBy: 'interrupt' };
      if (limits.deadline.remainingMs() <= 0) return { stoppedBy: 'timeout' };
      return { error: sent.error };
    }
    const { answer } = sent;
    if (answer.stoppedBy === 'timeout' || answer.stoppedBy === 'interrupt')
      return { stoppedBy: answer.stoppedBy };
    const status = answer.status === 200 ? parseTranslationStatus(answer.body) : undefined;
    if (!status) return { error: parseServiceError(answer.status, answer.body, answer.contentType) };
    return { status, age: answer.age, retryAfterMs: answer.retryAfterMs };
  };
  return { id, read };
}

/**
 * The batch's counts for a cancel just accepted, whose answer has none: those this step already
 * read, else from one status read. The status stays as the cancel left it when the read is a cached
 * one from before the cancel.
 */
async function withCounts(
  client: TranslatorClient,
  limits: RequestLimits,
  accepted: AcceptedResult,
  known: TranslationStatus | undefined,
): Promise<BatchResult> {
  if (hasCounts(known)) return { ...accepted, status: withCountsOf(accepted.status, known) };
  const read = await readStatus(statusSource(client, accepted.id, limits), limits, accepted.status);
  if (read.error) return { ...accepted, countsError: read.error };
  if (read.stoppedBy) return { ...accepted, countsError: stoppedError(read.stoppedBy, limits) };
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
  client: TranslatorClient,
  limits: RequestLimits,
  result: AcceptedResult,
  firstDelayMs: number | undefined,
): Promise<BatchResult> {
  if (isFinalStatus(result.status.status)) return result;
  const polled = await pollStatus(statusSource(client, result.id, limits), limits, {
    known: result.status,
    until: (status) => isFinalStatus(status.status),
    firstDelayMs: Math.max(firstDelayMs ?? 0, FIRST_WAIT_POLL_MS),
  });
  const status = polled.status ?? result.status;
  if (polled.error) return { ...result, status, error: polled.error, waitStoppedBy: 'error' };
  return { ...result, status, error: undefined, waitStoppedBy: polled.stoppedBy };
}

async function cancelBatch(
  client: TranslatorClient,
  limits: RequestLimits,
  id: string,
  { wait, known }: CancelOptions,
): Promise<BatchResult> {
  const sent = await client.cancel(id);
  if ('error' in sent) {
    const notSent = sent.attempts === 0 && sent.error.code === ErrorCode.Interrupted;
    return { id, outcome: 'error', error: sent.error, ...(notSent && { notSent }) };
  }
  const { answer } = sent;
  const { requestId, attempts, stoppedBy } = answer;

  if (answer.status >= 200 && answer.status < 300) {
    const echoed = parseTranslationStatus(answer.body);
    // A body that is no status (cut off, or a proxy's page) says nothing: the batch's status is read.
    const read = echoed ? undefined : await readStatus(statusSource(client, id, limits), limits);
    const status = echoed ?? read?.status;
    if (!status) {
      const error = unreadableCancelAnswer(answer.status, answer.body, answer.contentType, read?.error);
      return { id, outcome: 'error', error, requestId, attempts, stoppedBy };
    }
    // Only the cancel's own first answer can say the batch was cancelled before it: a Cancelled read
    // afterwards, or after a retry, may be this cancel's doing.
    const answered: BatchResult = {
      ...resultOfStatus(id, status, echoed !== undefined && attempts === 1),
      requestId,
      attempts,
    };
    if (answered.outcome !== 'cancel-requested') return answered;
    // A final status is the batch unchanged, with its counts; the answer to a cancel that starts
    // one has zeros instead of the batch's counts.
    if (echoed === undefined || isFinalStatus(status.status)) {
      return wait ? waitUntilFinal(client, limits, answered, answer.retryAfterMs) : answered;
    }
    const accepted = { ...answered, status: withCountsOf(status, undefined) };
    return wait
      ? waitUntilFinal(client, limits, accepted, answer.retryAfterMs)
      : withCounts(client, limits, accepted, known);
  }
  if (answer.status >= 300 && answer.status < 400) {
    return {
      id,
      outcome: 'error',
      error: redirectError(answer.status, answer.location),
      requestId,
      attempts,
    };
  }

  const error = parseServiceError(answer.status, answer.body, answer.contentType);
  if (answer.status !== 400 && answer.status !== 409) {
    return { id, outcome: 'error', error, requestId, attempts, stoppedBy };
  }

  // The service refuses to cancel a batch that has finished or is already being cancelled, with an
  // undocumented error: only the batch's status tells which. Right after a cancel that status may be
  // served stale from a cache, still in flight, so it is polled until the cache catches up.
  const confirmed = await pollStatus(statusSource(client, id, limits), limits, {
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
    return wait ? waitUntilFinal(client, limits, cancelled, undefined) : cancelled;
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
  client: TranslatorClient,
  limits: RequestLimits,
  id: string,
  known: TranslationStatus | undefined,
): Promise<BatchResult> {
  const read = known ? { status: known } : await statusOrError(statusSource(client, id, limits), limits);
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
export async function trackBatch(
  client: TranslatorClient,
  limits: RequestLimits,
  id: string,
): Promise<BatchResult> {
  const read = await statusOrError(statusSource(client, id, limits), limits);
  return 'error' in read ? { id, outcome: 'error', error: read.error } : { id, outcome: 'tracked', ...read };
}

/** Guard mode's post step in a dry run: would the batch be cancelled, or is it left alone? */
export async function previewGuard(
  client: TranslatorClient,
  limits: RequestLimits,
  id: string,
): Promise<BatchResult> {
  const preview = await previewCancel(client, limits, id, undefined);
  if (preview.outcome === 'would-cancel' || preview.outcome === 'error' || !preview.status) return preview;
  return { id, outcome: 'left-alone', status: preview.status };
}

/**
 * Guard mode's post step: cancels the batch only if it is still NotStarted or Running; a batch
 * that finished or is being cancelled is left alone.
 */
export async function guardBatch(
  client: TranslatorClient,
  limits: RequestLimits,
  id: string,
): Promise<BatchResult> {
  const preview = await previewGuard(client, limits, id);
  if (preview.outcome !== 'would-cancel') return preview;
  await afterAnswer();
  return cancelBatch(client, limits, id, { wait: false, known: preview.status });
}

function notSent(id: string): BatchResult {
  const message = 'the runner cancelled the step before the request was sent.';
  return { id, outcome: 'error', error: { code: ErrorCode.Interrupted, message }, notSent: true };
}

/** Cancels each target (or, in a dry run, says what a cancel would do); a refused target is an error result. */
export async function cancelAll(
  client: TranslatorClient,
  limits: RequestLimits,
  targets: readonly Target[],
  { dryRun, wait }: Pick<Cancelling, 'dryRun' | 'wait'>,
): Promise<BatchResult[]> {
  const doing = dryRun ? 'Dry run: checking' : 'Cancelling';
  limits.log(`${doing} ${describeBatches(targets.map((target) => target.id))} at ${client.where}.`);
  const act = dryRun
    ? (target: Target) => previewCancel(client, limits, target.id, target.listed)
    : (target: Target) => cancelBatch(client, limits, target.id, { wait, known: target.listed });
  return mapConcurrently(targets, CONCURRENCY, async (target): Promise<BatchResult> => {
    if (target.refused) return { id: target.id, outcome: 'error', error: target.refused };
    // Once the runner cancels the step, the batches not yet acted on are not sent anything.
    if (limits.interrupt.aborted) return notSent(target.id);
    return act(target);
  });
}
