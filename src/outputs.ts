// Turns job results into the step's outputs: every output, always set, empty when unknown.
import type { JobResult } from './cancel-job.ts';
import { Output, type OutputName } from './names.ts';
import type { ServiceError, StatusSummary } from './wire.ts';

export type Outputs = Record<OutputName, string>;

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
export function totalOf(results: readonly JobResult[], field: keyof StatusSummary): number | undefined {
  const counts = results
    .map((result) => result.status?.summary?.[field])
    .filter((count) => count !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}

/** The outputs of `results`; `stepError` is what stopped the step before any batch had a result. */
export function outputsFor(results: readonly JobResult[], stepError?: ServiceError): Outputs {
  const single = results.length === 1 ? results[0] : undefined;
  const failed = results.find((result) => result.error);
  const firstError = failed?.error ?? stepError;
  const outputs = {
    [Output.JobId]: results.map((result) => result.id).join('\n'),
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
    [Output.Results]: JSON.stringify(
      results.map((result) => ({
        id: result.id,
        status: result.status?.status ?? null,
        outcome: result.outcome,
        summary: result.status?.summary ?? null,
        error: result.error ?? null,
        requestId: result.requestId ?? null,
      })),
    ),
  } as Outputs;
  for (const [name, field] of SUMMARY_OUTPUTS) outputs[name] = String(totalOf(results, field) ?? '');
  return outputs;
}
