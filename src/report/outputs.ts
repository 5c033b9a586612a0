// Turns batch results into the step's outputs: every output, always set, empty when unknown. A job's
// outputs hold at most 1 MB on GitHub, and `results` grows by about 280 characters a batch: past
// that, `results` and `job-id` keep the batches that need attention first and say how many they
// left out; the counts always cover every batch.

import { type BatchCounts, type BatchResult, type ServiceError, totalOf } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import type { Outputs } from '../common/names.ts';
import { grouped } from '../common/numbers.ts';
import { describeNotSent, type Verdict } from './wording.ts';

/** All the step's outputs together stay within this many bytes (GitHub: 1 MB a job), with room for the output file's delimiters. */
const OUTPUTS_LIMIT = 1_000_000 - 4_000;

/** The value all batches share, `Mixed` when they differ, empty when none has one. */
function shared(values: ReadonlyArray<string | undefined>): string {
  const distinct = new Set(values.filter((value) => value !== undefined));
  if (distinct.size > 1) return 'Mixed';
  return [...distinct][0] ?? '';
}

function resultJson(result: BatchResult): string {
  return JSON.stringify({
    id: result.id,
    status: result.status?.status ?? null,
    outcome: result.outcome,
    summary: result.status?.counts ?? null,
    error: result.error ?? null,
    requestId: result.requestId ?? null,
  });
}

/** The indexes of `results`: failures first, then warnings, then the rest, each in the order given. */
function byAttention(results: readonly BatchResult[], verdicts: readonly Verdict[]): number[] {
  const rank = (index: number) => {
    const action = verdicts[index]?.action ?? (results[index]?.error ? 'fail' : 'pass');
    return action === 'fail' ? 0 : action === 'warn' ? 1 : 2;
  };
  return results.map((_, index) => index).sort((a, b) => rank(a) - rank(b) || a - b);
}

/** `job-id` and `results`, within `budget` bytes, and what they left out, in words for the log. */
function listsWithin(
  results: readonly BatchResult[],
  verdicts: readonly Verdict[],
  budget: number,
): { jobIds: string; results: string; leftOutWarning?: string } {
  const json = results.map(resultJson);
  const sizeOf = (index: number) =>
    Buffer.byteLength(json[index] ?? '') + (results[index]?.id.length ?? 0) + 2;
  if (results.reduce((total, _, index) => total + sizeOf(index), 2) <= budget) {
    return { jobIds: results.map((result) => result.id).join('\n'), results: `[${json.join(',')}]` };
  }
  const kept: number[] = [];
  // Room for the two notes of what was left out.
  let used = 400;
  for (const index of byAttention(results, verdicts)) {
    if (used + sizeOf(index) > budget) break;
    kept.push(index);
    used += sizeOf(index);
  }
  const leftOut = results.length - kept.length;
  const why = `${grouped(leftOut)} more batches left out: a job's outputs hold at most 1 MB; the count outputs cover every batch`;
  return {
    jobIds: [...kept.map((index) => results[index]?.id), `(${why})`].join('\n'),
    results: `[${[...kept.map((index) => json[index]), JSON.stringify({ leftOut, message: why })].join(',')}]`,
    leftOutWarning: `The results and job-id outputs leave out ${grouped(leftOut)} of the ${grouped(results.length)} batches, as a job's outputs hold at most 1 MB: they keep the failures first, then the warnings; the count outputs and the job summary cover every batch.`,
  };
}

/**
 * The outputs of `results` (judged by `verdicts`, which say which need attention), and, when
 * `results` and `job-id` had to leave batches out, the warning that says so; `stepError` is what
 * stopped the step before any batch had a result.
 */
export function outputsFor(
  results: readonly BatchResult[],
  stepError?: ServiceError,
  verdicts: readonly Verdict[] = [],
): { outputs: Outputs; leftOutWarning?: string } {
  const single = results.length === 1 ? results[0] : undefined;
  const failed = results.find((result) => result.error);
  // A step the runner cut short says so first, with how many batches it left unsent.
  const notSent = describeNotSent(results);
  const firstError = notSent
    ? { code: ErrorCode.Interrupted, message: notSent }
    : (failed?.error ?? stepError);
  const count = (field: keyof BatchCounts) => String(totalOf(results, field) ?? '');
  const outputs: Outputs = {
    'job-id': '',
    status: shared(results.map((result) => result.status?.status)),
    'created-date-time-utc': single?.status?.createdDateTimeUtc ?? '',
    'last-action-date-time-utc': single?.status?.lastActionDateTimeUtc ?? '',
    outcome: shared([...results.map((result) => result.outcome), stepError ? 'error' : undefined]),
    'error-code': firstError?.code ?? '',
    'error-message': firstError?.message ?? '',
    'error-target': firstError?.target ?? '',
    'inner-error-code': firstError?.innerCode ?? '',
    'inner-error-message': firstError?.innerMessage ?? '',
    'request-id': single?.requestId ?? failed?.requestId ?? '',
    results: '',
    total: count('total'),
    failed: count('failed'),
    success: count('success'),
    'in-progress': count('inProgress'),
    'not-yet-started': count('notYetStarted'),
    cancelled: count('cancelled'),
    'total-character-charged': count('totalCharacterCharged'),
    'total-image-charged': count('totalImageCharged'),
  };
  const others = Object.values(outputs).reduce((total, value) => total + Buffer.byteLength(value), 0);
  const lists = listsWithin(results, verdicts, OUTPUTS_LIMIT - others);
  outputs['job-id'] = lists.jobIds;
  outputs.results = lists.results;
  return { outputs, leftOutWarning: lists.leftOutWarning };
}
