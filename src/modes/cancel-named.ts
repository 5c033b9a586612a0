// cancel-named: cancels (or, in a dry run, checks) the batches named in job-id and operation-location.

import type { Mode } from '../common/types.ts';
import { cancelTargets, capTargets, type Step, withClient } from './step.ts';

export async function cancelNamed(step: Step, mode: Extract<Mode, { kind: 'cancel-named' }>): Promise<void> {
  const targets = capTargets(
    step,
    mode.ids.map((id) => ({ id })),
    mode.maxJobs,
    '',
  );
  await withClient(step, mode, (client, limits) =>
    cancelTargets(step, client, limits, targets, mode.serviceBase, mode),
  );
}
