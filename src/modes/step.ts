// What every mode of the step works with: its settings, the runner's cancel signal and the report.
// Each mode signs in with service/connection.ts, acts with service/cancel-batch.ts and has its
// results judged and said with report/verdict.ts.

import type { Target } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import type { Settings } from '../common/types.ts';
import type { StepReport } from '../report/step-report.ts';

export const TITLE = 'Cancel Document Translation';

/** What every mode works with. */
export interface Step {
  settings: Settings;
  interrupt: AbortSignal;
  report: StepReport;
}

/** Keeps the first max-jobs targets, warning how many remain. */
export function capTargets(step: Step, targets: Target[], maxJobs: number, order: string): Target[] {
  if (targets.length <= maxJobs) return targets;
  step.report.say({
    action: 'warn',
    message: `${grouped(targets.length)} batches to cancel, more than max-jobs (${grouped(maxJobs)}): cancelling the first ${grouped(maxJobs)}${order}; ${grouped(targets.length - maxJobs)} remain.`,
  });
  return targets.slice(0, maxJobs);
}
