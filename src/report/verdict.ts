// The verdict on each batch's result: whether the step passes, warns or fails for it, under the
// error policy, with what it says of it (wording.ts). The outcomes that can go wrong consult the
// policy; the others pass. The modes hand their results to sayResults, which has the report say them.

import type { BatchResult } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import type { ErrorPolicy, Settings, Verdict } from '../common/types.ts';
import { decide, Situation } from '../settings/policy.ts';
import type { StepReport } from './step-report.ts';
import { describeNotSent, type VerdictContext, wordsFor } from './wording.ts';

/** The error's code and HTTP status, as policy keys. */
function errorKeys(result: BatchResult): string[] {
  const keys: string[] = [];
  if (result.error) keys.push(result.error.code);
  if (result.error?.httpStatus) keys.push(String(result.error.httpStatus));
  return keys;
}

/** The policy keys a result is decided by; undefined for a result that passes whatever the policy says. */
function policyKeys(result: BatchResult): string[] | undefined {
  switch (result.outcome) {
    case 'cancel-requested':
    case 'already-cancelled':
      if (result.waitStoppedBy === 'timeout') return [Situation.Timeout];
      return result.waitStoppedBy === 'error' ? errorKeys(result) : undefined;
    case 'already-finished':
      return [Situation.AlreadyFinished, ...errorKeys(result)];
    case 'error':
      return errorKeys(result);
    default:
      return undefined;
  }
}

function judge(result: BatchResult, policy: ErrorPolicy, context: VerdictContext): Verdict {
  const words = wordsFor(result, context);
  const keys = policyKeys(result);
  if (!keys) return { action: 'pass', ...words };
  const { action, key } = decide(policy, keys);
  return { ...words, action, message: `${words.message} error-policy key: ${key}.` };
}

/**
 * One warning for every count the service sent in a form the action cannot use (a string, a
 * fraction, a negative number): those counts are left empty, and the outcome still follows the status.
 */
function unreadableCountsWarning(results: readonly BatchResult[]): Verdict | undefined {
  const affected = results.filter((result) => result.status?.unreadableCounts?.length);
  const [first] = affected;
  if (!first) return undefined;
  const fields = [...new Set(affected.flatMap((result) => result.status?.unreadableCounts ?? []))];
  const which =
    affected.length === 1
      ? `batch ${first.id}`
      : `${grouped(affected.length)} batches (the first ${first.id})`;
  return {
    action: 'warn',
    message: `The service sent ${fields.join(', ')} for ${which} in a form this action cannot use (not a whole number of 0 or more): left empty in the outputs and the job summary.`,
  };
}

/**
 * Judges each of `results` under the step's error policy, and has the report record and say them,
 * with one warning for counts the action cannot use. The batches the runner's cancel left unsent
 * are said in one line, however many.
 */
export function sayResults(
  report: StepReport,
  results: readonly BatchResult[],
  { policy, timeoutSeconds }: Pick<Settings, 'policy' | 'timeoutSeconds'>,
  serviceBase: string,
  waited = false,
): void {
  const verdicts = results.map((result) => judge(result, policy, { serviceBase, timeoutSeconds }));
  report.record(results, verdicts, waited);
  const notSent = describeNotSent(results);
  const unsent = verdicts.find((_, index) => results[index]?.notSent);
  report.sayAll(
    verdicts.filter((_, index) => !results[index]?.notSent),
    notSent && unsent ? { action: unsent.action, message: notSent } : undefined,
  );
  const unreadable = unreadableCountsWarning(results);
  if (unreadable) report.say(unreadable);
}
