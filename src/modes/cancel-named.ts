// cancel-named: cancels (or, in a dry run, checks) the batches named in job-id and operation-location.

import { cancelAll } from '../service/cancel-batch.ts';
import type { Mode } from '../settings/settings.ts';
import type { ModeOutcome } from './outcome.ts';
import { capTargets, type ModeContext } from './step.ts';

export async function cancelNamed(
  mode: Extract<Mode, { kind: 'cancel-named' }>,
  context: ModeContext,
): Promise<ModeOutcome> {
  const { targets, notes } = capTargets(
    mode.ids.map((id) => ({ id })),
    mode.maxJobs,
    'given',
  );
  const client = await context.connect(mode);
  const results = await cancelAll(client, targets, mode);
  return { results, serviceBase: mode.serviceBase, waited: mode.wait, notes };
}
