// Applies the error policy to a job's result and words what the step tells the user.
import type { JobResult } from './cancel-job.ts';
import { decide, type ErrorPolicy, type PolicyAction } from './policy.ts';
import { type ServiceError, statusKind } from './wire.ts';

export type VerdictAction = 'pass' | PolicyAction;

export interface Verdict {
  action: VerdictAction;
  message: string;
}

function whatToCheck(code: string, serviceBase: string): string {
  switch (code) {
    case 'Unauthorized':
      return `Check that subscription-key is a key of the Translator resource at ${serviceBase} (and region, for a regional key).`;
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

function describeError(error: ServiceError, requestId: string | undefined): string {
  const details = [
    error.httpStatus ? `HTTP ${error.httpStatus}` : '',
    requestId ? `request id ${requestId}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const innerSaysMore = error.innerCode && error.innerMessage && error.innerMessage !== error.message;
  const inner = innerSaysMore ? ` [${error.innerCode}: ${error.innerMessage}]` : '';
  return `${error.code}: ${error.message}${inner}${details ? ` (${details})` : ''}`;
}

function policyKeys(result: JobResult): string[] {
  const keys = result.outcome === 'already-finished' ? ['AlreadyFinished'] : [];
  if (result.error) keys.push(result.error.code);
  if (result.error?.httpStatus) keys.push(String(result.error.httpStatus));
  return keys;
}

export function judge(result: JobResult, policy: ErrorPolicy, serviceBase: string): Verdict {
  const { id, status, error, requestId } = result;
  const statusText = status?.status ?? 'unknown';
  const requestNote = requestId ? ` (request id ${requestId})` : '';
  switch (result.outcome) {
    case 'cancel-requested':
      return {
        action: 'pass',
        message: `Cancel requested for batch ${id}: status ${statusText}${requestNote}.`,
      };
    case 'already-cancelled':
      return {
        action: 'pass',
        message: `Batch ${id} was already ${statusText}: nothing to cancel${requestNote}.`,
      };
    case 'already-finished': {
      const { action, key } = decide(policy, policyKeys(result));
      const charged = status?.summary?.totalCharacterCharged ?? 0;
      const translated = status?.summary?.success ?? 0;
      return {
        action,
        message: `Batch ${id} had already finished with status ${statusText} (${translated} documents translated, ${charged} characters charged), so it could not be cancelled. The service said ${error ? describeError(error, requestId) : 'nothing more'}. error-policy key: ${key}.`,
      };
    }
    case 'error': {
      const { action, key } = decide(policy, policyKeys(result));
      const what = error ? describeError(error, requestId) : 'no answer';
      const advice =
        statusKind(status?.status) === 'in-flight'
          ? `Yet the service reports the batch as ${status?.status}: that may be its status cached from before an earlier cancel (kept for up to a minute), so the batch may already be Cancelling; run the step again in a minute to know.`
          : whatToCheck(error?.code ?? '', serviceBase);
      return {
        action,
        message: `Could not cancel batch ${id}: ${what}. ${advice} error-policy key: ${key}.`,
      };
    }
  }
}
