// cancel-named: cancels (or, in a dry run, checks) the batches named in job-id and operation-location.

import type { Mode } from '../common/types.ts';
import { sayResults } from '../report/verdict.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { withClient } from '../service/connection.ts';
import { capTargets, type Step } from './step.ts';

export async function cancelNamed(step: Step, mode: Extract<Mode, { kind: 'cancel-named' }>): Promise<void> {
  const targets = capTargets(
    step,
    mode.ids.map((id) => ({ id })),
    mode.maxJobs,
    '',
  );
  await withClient(step, mode, async (client, limits) => {
    const results = await cancelAll(client, limits, targets, mode);
    sayResults(step.report, results, step.settings, mode.serviceBase, mode.wait);
  });
}
