// The verdict on each batch's result: whether the step passes, warns or fails for it, under the
// error policy, with what it says of it (wording.ts). The outcomes that can go wrong consult the
// policy; the others pass. main.ts judges every mode's results here, once.

import type { BatchResult } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import { decide, type ErrorPolicy, Situation } from '../settings/policy.ts';
import { describeNotSent, type Verdict, type VerdictContext, wordsFor } from './wording.ts';

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

function judge1(result: BatchResult, policy: ErrorPolicy, context: VerdictContext): Verdict {
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

/** The verdict on each of `results` under the step's error policy, in the same order. */
export function judge(
  results: readonly BatchResult[],
  { policy, timeoutSeconds }: { policy: ErrorPolicy; timeoutSeconds: number },
  serviceBase: string,
): Verdict[] {
  return results.map((result) => judge1(result, policy, { serviceBase, timeoutSeconds }));
}

/**
 * The lines the results add about the step as a whole: the batches the runner's cancel left unsent,
 * in one line however many (and not among the verdicts said one by one), and one warning for counts
 * the action cannot use.
 */
export function stepVerdicts(
  results: readonly BatchResult[],
  verdicts: readonly Verdict[],
): { sent: Verdict[]; unsent?: Verdict; unreadable?: Verdict } {
  const notSent = describeNotSent(results);
  const unsent = verdicts.find((_, index) => results[index]?.notSent);
  return {
    sent: verdicts.filter((_, index) => !results[index]?.notSent),
    unsent: notSent && unsent ? { action: unsent.action, message: notSent } : undefined,
    unreadable: unreadableCountsWarning(results),
  };
}
