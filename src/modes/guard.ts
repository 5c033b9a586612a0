// guard: the main step records the batches named and sends nothing; its post step, which runs when
// the job ends for any reason, cancels those still NotStarted or Running and leaves the rest alone.

import { describeBatches } from '../common/numbers.ts';
import { saveGuardedBatches } from '../github/step-state.ts';
import { guardBatch, previewGuard } from '../service/cancel-batch.ts';
import { CONCURRENCY, mapConcurrently } from '../service/concurrency.ts';
import type { Mode } from '../settings/settings.ts';
import type { ModeOutcome } from './outcome.ts';
import { type ModeContext, outcomeOf } from './step.ts';

type Guard = Extract<Mode, { kind: 'guard' }>;

/** The main step: the batches are recorded for the post step (through `save`), and nothing is sent. */
export function recordGuard(mode: Guard, save: (name: string, value: string) => void): ModeOutcome {
  saveGuardedBatches(save, mode.ids);
  const message = `Guarding ${describeBatches(mode.ids)}: when the job ends, for any reason, its post step cancels any still NotStarted or Running.`;
  return { ...outcomeOf([], mode.serviceBase), notes: [{ level: 'info', message }], guarded: mode.ids };
}

/** The post step: cancels the batches `ids` (what the main step recorded) still NotStarted or Running. */
export async function guardPost(
  mode: Guard,
  ids: readonly string[],
  context: ModeContext,
): Promise<ModeOutcome> {
  const client = await context.connect(mode);
  context.log(`Guard: checking ${describeBatches(ids)} at ${client.where}.`);
  const guard = mode.dryRun ? previewGuard : guardBatch;
  const results = await mapConcurrently(ids, CONCURRENCY, (id) => guard(client, id));
  return outcomeOf(results, mode.serviceBase);
}
