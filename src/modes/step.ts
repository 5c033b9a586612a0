// What every mode of the step works with: its settings, the runner's cancel signal and the report.
// Each mode signs in with service/connection.ts, acts with service/cancel-batch.ts and has its
// results judged and said with report/verdict.ts.

import type { Target } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import type { Settings } from '../common/types.ts';
import { info } from '../github/runner.ts';
import type { StepReport } from '../report/step-report.ts';
import { type RequestLimits, requestLimits } from '../service/retry.ts';

export const TITLE = 'Cancel Document Translation';

/** What every mode works with. */
export interface Step {
  settings: Settings;
  interrupt: AbortSignal;
  report: StepReport;
  /** The step's time, retries and the runner's cancel: one deadline for every request, to the service or to GitHub. */
  limits: RequestLimits;
}

/** The step of `settings`, which `interrupt` stops, saying what it does in `report`. */
export function stepOf(settings: Settings, interrupt: AbortSignal, report: StepReport): Step {
  return { settings, interrupt, report, limits: requestLimits(settings, interrupt, info) };
}

// The batches a max-jobs warning names, of those it leaves for a later run.
const NAMED_LEFT = 10;

/** Keeps the first max-jobs targets, warning how many remain and naming the first of them. */
export function capTargets(step: Step, targets: Target[], maxJobs: number, order: string): Target[] {
  if (targets.length <= maxJobs) return targets;
  const left = targets.slice(maxJobs).map((target) => target.id);
  const more = left.length > NAMED_LEFT ? `, and ${grouped(left.length - NAMED_LEFT)} more` : '';
  step.report.say({
    action: 'warn',
    message: `${grouped(targets.length)} batches to cancel, more than max-jobs (${grouped(maxJobs)}): cancelling the first ${grouped(maxJobs)}${order}; ${grouped(left.length)} remain: ${left.slice(0, NAMED_LEFT).join(', ')}${more}. Raise max-jobs, or run the step again for them.`,
  });
  return targets.slice(0, maxJobs);
}
