// Applies the error policy to a job's result and words what the step tells the user.

import { grouped } from '../common/numbers.ts';
import type { JobResult } from '../service/job-result.ts';
import { describeTimeout } from '../service/timing.ts';
import { ErrorCode, type ServiceError, statusKind, type TranslationStatus } from '../service/wire.ts';
import { decide, type ErrorPolicy, type PolicyAction, Situation } from '../settings/policy.ts';

function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

type VerdictAction = 'pass' | PolicyAction;

export interface Verdict {
  action: VerdictAction;
  /** The log line and annotation: everything in one sentence or three. */
  message: string;
  /** For the summary and the comment, when something needs a look: the cause in a few words… */
  cause?: string;
  /** …what to do first… */
  advice?: string;
  /** …and the service's own words and the request id, for support. */
  details?: string;
}

// Short names for what went wrong, as the summary's notes lead with them.
const CAUSES: Record<string, string> = {
  Unauthorized: 'Wrong key or endpoint',
  ResourceNotFound: 'Not found',
  RequestRateTooHigh: 'Throttled',
  InternalServerError: 'Service error',
  ServiceUnavailable: 'Service unavailable',
  InvalidRequest: 'Refused',
  InvalidArgument: 'Refused',
  [ErrorCode.NetworkError]: 'No answer',
  [ErrorCode.Interrupted]: 'Stopped by the runner',
  [ErrorCode.UnexpectedResponse]: 'Unexpected answer',
  [ErrorCode.UnexpectedStatus]: 'Unknown status',
  [ErrorCode.ForeignPageLink]: 'Page link to another host',
  [ErrorCode.OtherEndpoint]: 'On another resource',
  [ErrorCode.NotRecorded]: 'Not recorded on the pull request',
};

function causeOf(error: ServiceError | undefined): string {
  const name = CAUSES[error?.code ?? ''] ?? error?.code ?? 'No answer';
  return error?.httpStatus ? `${name} (HTTP ${error.httpStatus})` : name;
}

/** The service's words and the request id, as a support ticket wants them. */
function detailsOf(error: ServiceError | undefined, requestId: string | undefined): string {
  const inner = error?.innerMessage && error.innerMessage !== error.message ? ` [${error.innerMessage}]` : '';
  const said = error ? `${error.code}: ${error.message.replace(/\.$/, '')}${inner}` : '';
  return [said, requestId ? `request id ${requestId}` : ''].filter(Boolean).join('; ');
}

function whatToCheck(code: string, serviceBase: string): string {
  switch (code) {
    case 'Unauthorized':
      return `Check that subscription-key is a key of the Translator resource at ${serviceBase} (and region, for a regional key), or, with a token, that its identity has the Cognitive Services User role on that resource.`;
    case 'ResourceNotFound':
      return `Check the job id, and that ${serviceBase} is the resource that started the batch.`;
    case 'RequestRateTooHigh':
      return 'The service is throttling requests: run the step again later.';
    case 'InternalServerError':
    case 'ServiceUnavailable':
      return 'The fault is on the service side: run the step again later.';
    case 'InvalidRequest':
    case 'InvalidArgument':
      return 'Check the job id and api-version.';
    default:
      return `Check the endpoint (${serviceBase}).`;
  }
}

interface VerdictContext {
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
  answer: Pick<JobResult, 'requestId' | 'attempts' | 'stoppedBy'> = {},
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

function policyKeys(result: JobResult): string[] {
  const keys: string[] = result.outcome === 'already-finished' ? [Situation.AlreadyFinished] : [];
  if (result.error) keys.push(result.error.code);
  if (result.error?.httpStatus) keys.push(String(result.error.httpStatus));
  return keys;
}

/** The images charged, when the service says (newer api-versions only). */
function describeImages(status: TranslationStatus | undefined): string {
  const images = status?.summary?.totalImageCharged;
  return images === undefined ? '' : `, ${grouped(images)} images charged`;
}

function describeCounts(status: TranslationStatus | undefined): string {
  const summary = status?.summary;
  if (!summary) return '';
  return ` (${grouped(summary.success ?? 0)} documents translated, ${grouped(summary.cancelled ?? 0)} cancelled, ${grouped(summary.totalCharacterCharged ?? 0)} characters charged${describeImages(status)})`;
}

/** What a finished batch cost, as a clause: "it was charged for …". */
function describeCharges(status: TranslationStatus | undefined): string {
  const summary = status?.summary;
  if (!summary) return 'what it was charged is not known';
  const documents =
    summary.total === undefined
      ? ''
      : ` (${grouped(summary.success ?? 0)} of ${grouped(summary.total)} documents translated)`;
  return `it was charged for ${grouped(summary.totalCharacterCharged ?? 0)} characters${describeImages(status)}${documents}`;
}

/** The verdict on a cancel the service accepted (or that an earlier cancel had already made). */
function judgeAccepted(result: JobResult, policy: ErrorPolicy, context: VerdictContext): Verdict {
  const { id, status, error, requestId } = result;
  const statusText = status?.status ?? 'unknown';
  const requestNote = requestId ? `; request id ${requestId}` : '';
  const opening =
    result.outcome === 'already-cancelled'
      ? `Batch ${id} had already been cancelled`
      : `Cancel requested for batch ${id}`;
  switch (result.waitEnded) {
    case 'timeout': {
      const { action, key } = decide(policy, [Situation.Timeout]);
      return {
        action,
        message: `${opening}: status ${statusText} when ${describeTimeout(context.timeoutSeconds)} ran out, so its final counts are not known${requestNote}. error-policy key: ${key}.`,
        cause: `Still ${statusText} when the time ran out`,
        advice: `Its final counts are not known: a longer timeout waits for them.`,
        details: detailsOf(undefined, requestId),
      };
    }
    case 'error': {
      const { action, key } = decide(policy, policyKeys(result));
      const why = error ? describeError(error, context.timeoutSeconds) : '';
      return {
        action,
        message: `${opening}: status ${statusText}${requestNote}; waiting for its final status failed: ${why} error-policy key: ${key}.`,
        cause: `Cancel requested, but waiting failed: ${causeOf(error)}`,
        advice: whatToCheck(error?.code ?? '', context.serviceBase),
        details: detailsOf(error, requestId),
      };
    }
    case 'interrupt':
      return {
        action: 'pass',
        message: `${opening}: status ${statusText} when the runner cancelled the step; stopped waiting${requestNote}.`,
      };
    default: {
      const counts = result.countsError
        ? `; its counts could not be read (${describeError(result.countsError, context.timeoutSeconds)}), so they are left empty`
        : describeCounts(status);
      return { action: 'pass', message: `${opening}: status ${statusText}${counts}${requestNote}.` };
    }
  }
}

/**
 * One warning for every count the service sent in a form the action cannot use (a string, a
 * fraction, a negative number): those counts are left empty, and the outcome still follows the status.
 */
export function unreadableCountsWarning(results: readonly JobResult[]): Verdict | undefined {
  const affected = results.filter((result) => result.status?.unreadableCounts?.length);
  const [first] = affected;
  if (!first) return undefined;
  const fields = [...new Set(affected.flatMap((result) => result.status?.unreadableCounts ?? []))];
  const which =
    affected.length === 1 ? `batch ${first.id}` : `${affected.length} batches (the first ${first.id})`;
  return {
    action: 'warn',
    message: `The service sent ${fields.join(', ')} for ${which} in a form this action cannot use (not a whole number of 0 or more): left empty in the outputs and the job summary.`,
  };
}

export function judge(result: JobResult, policy: ErrorPolicy, context: VerdictContext): Verdict {
  const { id, status, error } = result;
  switch (result.outcome) {
    case 'cancel-requested':
    case 'already-cancelled':
      return judgeAccepted(result, policy, context);
    case 'would-cancel':
      return {
        action: 'pass',
        message: `Would cancel batch ${id}: status ${status?.status ?? 'unknown'}, created ${status?.createdDateTimeUtc ?? 'at an unknown time'} (dry run: nothing was sent).`,
      };
    case 'tracked':
      return {
        action: 'pass',
        message: `Recorded batch ${id}${status ? ` (status ${status.status})` : ''} in the pull request's ledger: a step with from-pull-request stops it when the pull request closes.`,
      };
    case 'left-alone':
      return {
        action: 'pass',
        message: `Batch ${id} is ${status?.status ?? 'no longer in flight'}${describeCounts(status)}: left alone.`,
      };
    case 'already-finished': {
      const { action, key } = decide(policy, policyKeys(result));
      // The live service answers 200 with the batch unchanged; a refusal (400/409) is quoted.
      const refusal = error
        ? ` The service refused the cancel: ${describeError(error, context.timeoutSeconds, result)}`
        : '';
      const requestNote = !error && result.requestId ? `; request id ${result.requestId}` : '';
      return {
        action,
        message: `Batch ${id} had already finished with status ${status?.status ?? 'unknown'} before the cancel, so nothing was cancelled: ${describeCharges(status)}${requestNote}.${refusal} error-policy key: ${key}.`,
        cause: `Already ${status?.status ?? 'finished'}: nothing cancelled`,
        advice: `It had finished before the step ran; ${describeCharges(status)}.`,
        details: detailsOf(error, result.requestId),
      };
    }
    case 'error': {
      const { action, key } = decide(policy, policyKeys(result));
      if (error?.code === ErrorCode.UnexpectedStatus) {
        const requestNote = result.requestId ? ` (request id ${result.requestId})` : '';
        return {
          action,
          message: `Batch ${id} answered the cancel, but ${error.message}${describeCounts(status)}${requestNote}. Check the batch's status again later, and if the status is new, tell this action's maintainers. error-policy key: ${key}.`,
          cause: causeOf(error),
          advice: "Check the batch's status again later; whether it is being cancelled is not known.",
          details: detailsOf(error, result.requestId),
        };
      }
      if (error?.code === ErrorCode.NotRecorded) {
        return {
          action,
          message: `${error.message} error-policy key: ${key}.`,
          cause: "Not recorded in the pull request's ledger",
          advice: error.message.replace(/^.*?: /, ''),
        };
      }
      const what = error ? describeError(error, context.timeoutSeconds, result) : 'no answer.';
      const advice =
        statusKind(status?.status) === 'in-flight'
          ? `Yet the service still reports the batch as ${status?.status}: that may be its status cached from before an earlier cancel (kept for up to a minute), so the batch may already be Cancelling; run the step again in a minute to know.`
          : whatToCheck(error?.code ?? '', context.serviceBase);
      return {
        action,
        message: `Could not cancel batch ${id}: ${what} ${advice} error-policy key: ${key}.`,
        cause: causeOf(error),
        advice,
        details: detailsOf(error, result.requestId),
      };
    }
  }
}
