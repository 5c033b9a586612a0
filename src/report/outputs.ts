// Turns job results into the step's outputs: every output, always set, empty when unknown. A job's
// outputs hold at most 1 MB on GitHub, and `results` grows by about 280 characters a batch: past
// that, `results` and `job-id` keep the batches that need attention first and say how many they
// left out; the counts always cover every batch.

import { Output, type OutputName, type Outputs } from '../common/names.ts';
import { grouped } from '../common/numbers.ts';
import type { BatchResult } from '../service/batch-result.ts';
import type { ServiceError, StatusSummary } from '../service/wire.ts';
import type { Verdict } from './verdict.ts';

/** All the step's outputs together stay within this many bytes (GitHub: 1 MB a job), with room for the output file's delimiters. */
const OUTPUTS_LIMIT = 1_000_000 - 4_000;

const SUMMARY_OUTPUTS: ReadonlyArray<[OutputName, keyof StatusSummary]> = [
  [Output.Total, 'total'],
  [Output.Failed, 'failed'],
  [Output.Success, 'success'],
  [Output.InProgress, 'inProgress'],
  [Output.NotYetStarted, 'notYetStarted'],
  [Output.Cancelled, 'cancelled'],
  [Output.TotalCharacterCharged, 'totalCharacterCharged'],
  [Output.TotalImageCharged, 'totalImageCharged'],
];

/** The value all jobs share, `Mixed` when they differ, empty when none has one. */
function shared(values: ReadonlyArray<string | undefined>): string {
  const distinct = new Set(values.filter((value) => value !== undefined));
  if (distinct.size > 1) return 'Mixed';
  return [...distinct][0] ?? '';
}

/** A summary count added up over the results that have it; undefined when none does. */
export function totalOf(results: readonly BatchResult[], field: keyof StatusSummary): number | undefined {
  const counts = results
    .map((result) => result.status?.summary?.[field])
    .filter((count) => count !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}

function resultJson(result: BatchResult): string {
  return JSON.stringify({
    id: result.id,
    status: result.status?.status ?? null,
    outcome: result.outcome,
    summary: result.status?.summary ?? null,
    error: result.error ?? null,
    requestId: result.requestId ?? null,
  });
}

/** Failures first, then warnings, then the rest, each in the order given. */
function byAttention(results: readonly BatchResult[], verdicts: readonly Verdict[]): BatchResult[] {
  const rank = (index: number) => {
    const action = verdicts[index]?.action ?? (results[index]?.error ? 'fail' : 'pass');
    return action === 'fail' ? 0 : action === 'warn' ? 1 : 2;
  };
  return results
    .map((result, index) => ({ result, rank: rank(index), index }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ result }) => result);
}

/** `job-id` and `results`, within `budget` bytes, and how many batches they left out. */
function listsWithin(
  results: readonly BatchResult[],
  verdicts: readonly Verdict[],
  budget: number,
): { jobIds: string; results: string; leftOut: number } {
  const json = results.map(resultJson);
  const size = json.reduce(
    (total, text, index) => total + Buffer.byteLength(text) + (results[index]?.id.length ?? 0) + 2,
    2,
  );
  if (size <= budget) {
    return {
      jobIds: results.map((result) => result.id).join('\n'),
      results: `[${json.join(',')}]`,
      leftOut: 0,
    };
  }
  const kept: BatchResult[] = [];
  // Room for the two notes of what was left out.
  let used = 400;
  for (const result of byAttention(results, verdicts)) {
    const next = Buffer.byteLength(resultJson(result)) + result.id.length + 2;
    if (used + next > budget) break;
    kept.push(result);
    used += next;
  }
  const leftOut = results.length - kept.length;
  const why = `${grouped(leftOut)} more batches left out: a job's outputs hold at most 1 MB; the count outputs cover every batch`;
  return {
    jobIds: [...kept.map((result) => result.id), `(${why})`].join('\n'),
    results: `[${[...kept.map(resultJson), JSON.stringify({ leftOut, message: why })].join(',')}]`,
    leftOut,
  };
}

/**
 * The outputs of `results` (judged by `verdicts`, which say which need attention), and how many
 * batches `results` and `job-id` had to leave out; `stepError` is what stopped the step before any
 * batch had a result.
 */
export function outputsFor(
  results: readonly BatchResult[],
  stepError?: ServiceError,
  verdicts: readonly Verdict[] = [],
): { outputs: Outputs; leftOut: number } {
  const single = results.length === 1 ? results[0] : undefined;
  const failed = results.find((result) => result.error);
  const firstError = failed?.error ?? stepError;
  const outputs = {
    [Output.JobId]: '',
    [Output.Status]: shared(results.map((result) => result.status?.status)),
    [Output.CreatedDateTimeUtc]: single?.status?.createdDateTimeUtc ?? '',
    [Output.LastActionDateTimeUtc]: single?.status?.lastActionDateTimeUtc ?? '',
    [Output.Outcome]: shared([...results.map((result) => result.outcome), stepError ? 'error' : undefined]),
    [Output.ErrorCode]: firstError?.code ?? '',
    [Output.ErrorMessage]: firstError?.message ?? '',
    [Output.ErrorTarget]: firstError?.target ?? '',
    [Output.InnerErrorCode]: firstError?.innerCode ?? '',
    [Output.InnerErrorMessage]: firstError?.innerMessage ?? '',
    [Output.RequestId]: single?.requestId ?? failed?.requestId ?? '',
    [Output.Results]: '',
  } as Outputs;
  for (const [name, field] of SUMMARY_OUTPUTS) outputs[name] = String(totalOf(results, field) ?? '');
  const others = Object.values(outputs).reduce((total, value) => total + Buffer.byteLength(value), 0);
  const lists = listsWithin(results, verdicts, OUTPUTS_LIMIT - others);
  outputs[Output.JobId] = lists.jobIds;
  outputs[Output.Results] = lists.results;
  return { outputs, leftOut: lists.leftOut };
}
