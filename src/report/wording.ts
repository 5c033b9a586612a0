// What the step says of each batch's result, in words: the log line and annotation, and for the job
// summary and the comment the cause, what to do first and the service's own words. No policy here:
// verdict.ts decides what the step does with each, and adds the policy key it decided by.

import {
  type AcceptedResult,
  type BatchResult,
  type RequestStopReason,
  type ServiceError,
  statusKind,
  type TranslationStatus,
} from '../common/batch.ts';
import { adviceForCode, causeOfCode, ErrorCode } from '../common/error-codes.ts';
import { grouped } from '../common/numbers.ts';
import { describeTimeout } from '../service/retry.ts';
/**
 * What the step does for a batch's result, and what it says of it: it passes, or does what the error
 * policy decides (settings/policy.ts's actions, which TypeScript holds to these where verdict.ts
 * fills them in).
 */
export interface Verdict extends Words {
  action: 'pass' | 'ignore' | 'warn' | 'fail';
}

/** What the step says of one batch. */
export interface Words {
  /** The log line and annotation: everything in one sentence or three. */
  message: string;
  /** For the summary and the comment, when something needs a look: the cause in a few words… */
  cause?: string;
  /** …what to do first… */
  advice?: string;
  /** …and the service's own words and the request id, for support. */
  details?: string;
}

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function causeOf(error: ServiceError): string {
  const name = causeOfCode(error.code);
  return error.httpStatus ? `${name} (HTTP ${error.httpStatus})` : name;
}

/** The service's words and the request id, as a support ticket wants them. */
function detailsOf(error: ServiceError | undefined, requestId: string | undefined): string {
  const inner = error?.innerMessage && error.innerMessage !== error.message ? ` [${error.innerMessage}]` : '';
  const said = error ? `${error.code}: ${error.message.replace(/\.$/, '')}${inner}` : '';
  return [said, requestId ? `request id ${requestId}` : ''].filter(Boolean).join('; ');
}

export interface VerdictContext {
  serviceBase: string;
  timeoutSeconds: number;
}

/**
 * An error in one sentence: the code and what is known of the answer that carried it (what a user
 * quotes to support) first, then the service's own words.
 */
function describeError(
  error: ServiceError,
  timeoutSeconds: number,
  answer: { requestId?: string; attempts?: number; stoppedBy?: RequestStopReason } = {},
): string {
  const { requestId, attempts = 1, stoppedBy } = answer;
  const details = [
    error.httpStatus ? `HTTP ${error.httpStatus}` : '',
    requestId ? `request id ${requestId}` : '',
    attempts > 1 ? `after ${attempts} attempts` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const innerSaysMore = error.innerCode && error.innerMessage && error.innerMessage !== error.message;
  const inner = innerSaysMore ? ` [${error.innerCode}: ${error.innerMessage}]` : '';
  const stopped =
    stoppedBy === 'timeout'
      ? ` ${capitalized(describeTimeout(timeoutSeconds))} would run out before another retry.`
      : stoppedBy === 'interrupt'
        ? ' The runner cancelled the step before another retry.'
        : '';
  const message = error.message.replace(/\.$/, '');
  return `${error.code}${details ? ` (${details})` : ''}: ${message}${inner}.${stopped}`;
}

/** The images charged, when the service says (newer api-versions only). */
function describeImages(status: TranslationStatus | undefined): string {
  const images = status?.counts?.totalImageCharged;
  return images === undefined ? '' : `, ${grouped(images)} images charged`;
}

function describeCounts(status: TranslationStatus | undefined): string {
  const counts = status?.counts;
  if (!counts) return '';
  return ` (${grouped(counts.success ?? 0)} documents translated, ${grouped(counts.cancelled ?? 0)} cancelled, ${grouped(counts.totalCharacterCharged ?? 0)} characters charged${describeImages(status)})`;
}

/** What a finished batch cost, as a clause: "it was charged for …". */
function describeCharges(status: TranslationStatus | undefined): string {
  const counts = status?.counts;
  if (!counts) return 'what it was charged is not known';
  const documents =
    counts.total === undefined
      ? ''
      : ` (${grouped(counts.success ?? 0)} of ${grouped(counts.total)} documents translated)`;
  return `it was charged for ${grouped(counts.totalCharacterCharged ?? 0)} characters${describeImages(status)}${documents}`;
}

/** What the step says of a cancel the service accepted (or that an earlier cancel had already made). */
function wordsForAccepted(result: AcceptedResult, context: VerdictContext): Words {
  const { id, status, requestId } = result;
  const statusText = status.status;
  const requestNote = requestId ? `; request id ${requestId}` : '';
  const opening =
    result.outcome === 'already-cancelled'
      ? `Batch ${id} had already been cancelled`
      : `Cancel requested for batch ${id}`;
  switch (result.waitStoppedBy) {
    case 'timeout':
      return {
        message: `${opening}: status ${statusText} when ${describeTimeout(context.timeoutSeconds)} ran out, so its final counts are not known${requestNote}.`,
        cause: `Still ${statusText} when the time ran out`,
        advice: `Its final counts are not known: a longer timeout waits for them.`,
        details: detailsOf(undefined, requestId),
      };
    case 'error': {
      const { error } = result;
      return {
        message: `${opening}: status ${statusText}${requestNote}; waiting for its final status failed: ${describeError(error, context.timeoutSeconds)}`,
        cause: `Cancel requested, but waiting failed: ${causeOf(error)}`,
        advice: adviceForCode(error.code, context.serviceBase),
        details: detailsOf(error, requestId),
      };
    }
    case 'interrupt':
      return {
        message: `${opening}: status ${statusText} when the runner cancelled the step; stopped waiting${requestNote}.`,
      };
    default: {
      const counts = result.countsError
        ? `; its counts could not be read (${describeError(result.countsError, context.timeoutSeconds)}), so they are left empty`
        : describeCounts(status);
      return { message: `${opening}: status ${statusText}${counts}${requestNote}.` };
    }
  }
}

/** How many of the step's batches the runner's cancel left unsent, in one line; undefined when none. */
export function describeNotSent(results: readonly BatchResult[]): string | undefined {
  const notSent = results.filter((result) => result.notSent).length;
  if (notSent === 0) return undefined;
  const [only] = results;
  if (results.length === 1 && only) {
    return `The runner cancelled the step before batch ${only.id} was sent a cancel: it was not cancelled.`;
  }
  const sent = results.length - notSent;
  return `The runner cancelled the step before ${grouped(notSent)} of the ${grouped(results.length)} batches were sent a cancel: those were not cancelled (their ids are in the results output); ${grouped(sent)} got one.`;
}

/**
 * What the step says of a batch's result: the log line, and for the summary what went wrong, what to
 * do and the service's own words. Whether that passes, warns or fails is verdict.ts's to decide.
 */
export function wordsFor(result: BatchResult, context: VerdictContext): Words {
  const { id } = result;
  switch (result.outcome) {
    case 'cancel-requested':
    case 'already-cancelled':
      return wordsForAccepted(result, context);
    case 'would-cancel':
      return {
        message: `Would cancel batch ${id}: status ${result.status.status}, created ${result.status.createdDateTimeUtc ?? 'at an unknown time'} (dry run: nothing was sent).`,
      };
    case 'tracked':
      return {
        message: `Recorded batch ${id}${result.status ? ` (status ${result.status.status})` : ''} in the pull request's ledger: a step with from-pull-request stops it when the pull request closes.`,
      };
    case 'left-alone':
      return {
        message: `Batch ${id} is ${result.status.status}${describeCounts(result.status)}: left alone.`,
      };
    case 'already-finished': {
      const { status, error } = result;
      // The live service answers 200 with the batch unchanged; a refusal (400/409) is quoted.
      const refusal = error
        ? ` The service refused the cancel: ${describeError(error, context.timeoutSeconds, result)}`
        : '';
      const requestNote = !error && result.requestId ? `; request id ${result.requestId}` : '';
      return {
        message: `Batch ${id} had already finished with status ${status.status} before the cancel, so nothing was cancelled: ${describeCharges(status)}${requestNote}.${refusal}`,
        cause: `Already ${status.status}: nothing cancelled`,
        advice: `It had finished before the step ran; ${describeCharges(status)}.`,
        details: detailsOf(error, result.requestId),
      };
    }
    case 'error': {
      const { status, error } = result;
      if (result.notSent) {
        return {
          message: `Batch ${id} was not sent a cancel: the runner cancelled the step first.`,
          cause: 'Not sent: the runner cancelled the step',
          advice: adviceForCode(error.code, context.serviceBase),
        };
      }
      if (error.code === ErrorCode.UnexpectedStatus) {
        const requestNote = result.requestId ? ` (request id ${result.requestId})` : '';
        return {
          message: `Batch ${id} answered the cancel, but ${error.message}${describeCounts(status)}${requestNote}. Check the batch's status again later, and if the status is new, tell this action's maintainers.`,
          cause: causeOf(error),
          advice: "Check the batch's status again later; whether it is being cancelled is not known.",
          details: detailsOf(error, result.requestId),
        };
      }
      if (error.code === ErrorCode.NotRecorded) {
        return {
          message: error.message,
          cause: causeOf(error),
          advice: error.message.replace(/^.*?: /, ''),
        };
      }
      const advice =
        status && statusKind(status.status) === 'in-flight'
          ? `Yet the service still reports the batch as ${status.status}: that may be its status cached from before an earlier cancel (kept for up to a minute), so the batch may already be Cancelling; run the step again in a minute to know.`
          : adviceForCode(error.code, context.serviceBase);
      return {
        message: `Could not cancel batch ${id}: ${describeError(error, context.timeoutSeconds, result)} ${advice}`,
        cause: causeOf(error),
        advice,
        details: detailsOf(error, result.requestId),
      };
    }
  }
}
