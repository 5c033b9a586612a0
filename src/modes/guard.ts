// guard: the main step records the batches named and sends nothing; its post step, which runs when
// the job ends for any reason, cancels those still NotStarted or Running and leaves the rest alone.

import { describeBatches } from '../common/numbers.ts';
import type { Mode } from '../common/types.ts';
import { info, saveState, writeOutputs } from '../github/runner.ts';
import { saveGuardedBatches } from '../github/step-state.ts';
import { outputsFor } from '../report/outputs.ts';
import { sayResults } from '../report/verdict.ts';
import { guardBatch, previewGuard } from '../service/cancel-batch.ts';
import { CONCURRENCY, mapConcurrently } from '../service/concurrency.ts';
import { withClient } from '../service/connection.ts';
import type { Step } from './step.ts';

type Guard = Extract<Mode, { kind: 'guard' }>;

/** The main step: the batches are recorded for the post step, and nothing is sent. */
export function recordGuard(mode: Guard): void {
  saveGuardedBatches(saveState, mode.ids);
  info(
    `Guarding ${describeBatches(mode.ids)}: when the job ends, for any reason, its post step cancels any still NotStarted or Running.`,
  );
  writeOutputs({ ...outputsFor([]).outputs, 'job-id': mode.ids.join('\n') });
}

/** The post step: cancels the batches `ids` (what the main step recorded) still NotStarted or Running. */
export async function guardPost(step: Step, mode: Guard, ids: readonly string[]): Promise<void> {
  const { serviceBase } = mode;
  await withClient(step, mode, async (client, limits) => {
    info(`Guard: checking ${describeBatches(ids)} at ${client.where}.`);
    const guard = mode.dryRun ? previewGuard : guardBatch;
    const results = await mapConcurrently(ids, CONCURRENCY, (id) => guard(client, limits, id));
    sayResults(step.report, results, step.settings, serviceBase);
  });
}
