// The step, top to bottom: read inputs → decide what the step is → resolve the jobs → send the
// requests → interpret the answers → apply the policy → write outputs, the job summary and the pull
// request comment. `run` is the main step and decides once which mode it runs: cancel (or dry run)
// the batches named or found by stale-after here, the pull request's modes in
// pull-request-modes.ts, guard's record here; `cleanup` is guard mode's post step. What the modes
// share is in step.ts.

import { guardJob, previewGuard } from './cancel-job.ts';
import { mapConcurrently } from './concurrency.ts';
import { findStaleBatches } from './discover.ts';
import { parseSettings, type Settings, summaryWanted } from './inputs.ts';
import { Output } from './names.ts';
import { grouped } from './numbers.ts';
import { outputsFor } from './outputs.ts';
import { cancelFromPullRequest, commentOnPullRequest, track } from './pull-request-modes.ts';
import { debug, info, onRunnerCancel, readInputs, saveState, writeOutputs, writeSummary } from './runner.ts';
import type { Step, Target } from './step.ts';
import {
  CONCURRENCY,
  cancelTargets,
  capTargets,
  describeBatches,
  namedBatches,
  reportView,
  sayResults,
  TITLE,
  withClient,
} from './step.ts';
import { StepReport } from './step-report.ts';
import { guardedJobs, markPostStepNext, saveGuardedJobs } from './step-state.ts';
import { renderReport } from './summary.ts';
import type { TranslatorClient } from './translator-client.ts';
import { errorText, InputError, quote, SignInError } from './user-errors.ts';
import { ErrorCode, type ServiceError } from './wire.ts';

const GUARD_TITLE = 'Guard: translations left running when the job ended';

/** The batches found by stale-after, or undefined after reporting why there are none to act on. */
async function findStale(
  step: Step,
  client: TranslatorClient,
  staleAfterMs: number,
  staleAfter: string,
): Promise<Target[] | undefined> {
  const createdBefore = new Date(Date.now() - staleAfterMs);
  info(
    `Looking for NotStarted or Running batches created before ${createdBefore.toISOString()} (stale-after ${staleAfter}).`,
  );
  const found = await findStaleBatches(client, createdBefore);
  if ('error' in found) {
    step.report.say({
      action: 'fail',
      message: `Could not list the batches at ${step.settings.serviceBase}: ${found.error.code}: ${found.error.message}`,
    });
    return undefined;
  }
  info(`Found ${found.batches.length} stale batches in ${found.pages} pages.`);
  const targets: Target[] = found.batches.map((listed) => ({ id: listed.id, listed }));
  for (const invalidId of found.invalidIds) {
    const id = quote(invalidId);
    const message = `the list of batches gave ${id}, which is not a batch id (a GUID): it was not sent anywhere.`;
    targets.push({ id, refused: { code: ErrorCode.UnexpectedResponse, message } });
  }
  step.report.recordSearch({
    staleAfter,
    createdBefore: createdBefore.toISOString(),
    found: targets.length,
    leftOver: Math.max(0, targets.length - step.settings.maxJobs),
  });
  return capTargets(step, targets, ', the oldest');
}

/** Cancels the batches named in job-id and operation-location, or found by stale-after. */
async function cancelBatches(step: Step, serviceBase: string): Promise<void> {
  const { jobs } = step.settings;
  await withClient(step, serviceBase, async (client, limits) => {
    const targets =
      jobs.kind === 'stale'
        ? await findStale(step, client, jobs.staleAfterMs, jobs.staleAfter)
        : jobs.kind === 'ids'
          ? capTargets(
              step,
              jobs.ids.map((id) => ({ id })),
              '',
            )
          : [];
    if (targets) await cancelTargets(step, client, limits, targets, serviceBase);
  });
}

/** Guard mode's main step: the batches are recorded for the post step, and nothing is sent. */
function recordGuard(settings: Settings): void {
  const ids = namedBatches(settings);
  saveGuardedJobs(saveState, ids);
  info(
    `Guarding ${describeBatches(ids)}: when the job ends, for any reason, its post step cancels any still NotStarted or Running.`,
  );
  writeOutputs({ ...outputsFor([]).outputs, [Output.JobId]: ids.join('\n') });
}

/** The job summary, and the pull request comment when `comment` is set; a failure here only warns. */
async function publish(step: Step, title: string): Promise<void> {
  const { settings } = step;
  if (settings.summary) await writeSummary(renderReport(reportView(step, title)));
  // The ledger's modes have written the comment already: it is their result.
  if (settings.comment && !settings.track && settings.jobs.kind !== 'ledger')
    await commentOnPullRequest(step, title);
}

/**
 * Reports what stopped the step: a user's mistake in one line, anything else as an unexpected error;
 * a user's mistake is also what the error outputs say, so that a later step can tell it apart.
 */
function reportFailure(report: StepReport, error: unknown): ServiceError | undefined {
  if (error instanceof InputError || error instanceof SignInError) {
    report.say({ action: 'fail', message: error.message });
    const code = error instanceof InputError ? ErrorCode.InvalidInput : ErrorCode.SignInFailed;
    return { code, message: error.message };
  }
  debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
  report.say({
    action: 'fail',
    message: `Unexpected error: ${errorText(error)}`,
  });
  return undefined;
}

function startStep(): { interrupt: AbortSignal; report: StepReport } {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  return { interrupt: interrupt.signal, report: new StepReport() };
}

/** The main step: decides once what the step is, and runs that mode. */
export async function run(): Promise<void> {
  const { interrupt, report } = startStep();
  markPostStepNext(saveState);
  const raw = readInputs();
  let step: Step | undefined;
  let stepError: ServiceError | undefined;
  try {
    step = { settings: parseSettings(raw), interrupt, report };
    const { settings } = step;
    for (const remark of settings.remarks) report.say(remark);
    if (settings.guard) {
      recordGuard(settings);
      // Its post step publishes.
      return;
    }
    // Only from-pull-request may leave the service to the ledger; every other mode names it.
    if (settings.jobs.kind === 'ledger') await cancelFromPullRequest(step);
    else if (settings.serviceBase && settings.track) await track(step, settings.serviceBase);
    else if (settings.serviceBase) await cancelBatches(step, settings.serviceBase);
  } catch (error) {
    stepError = reportFailure(report, error);
  }
  const { outputs, leftOut } = outputsFor(report.results, stepError, report.verdicts);
  if (leftOut > 0) {
    report.say({
      action: 'warn',
      message: `The results and job-id outputs leave out ${grouped(leftOut)} of the ${grouped(report.results.length)} batches, as a job's outputs hold at most 1 MB: they keep the failures first, then the warnings; the count outputs and the job summary cover every batch.`,
    });
  }
  writeOutputs(outputs);
  if (step) await publish(step, TITLE);
  else if (summaryWanted(raw)) {
    await writeSummary(
      renderReport({ title: TITLE, results: [], verdicts: [], notes: report.notes, waited: false }),
    );
  }
}

/** Guard mode's post step: cancels the guarded batches still NotStarted or Running. */
export async function cleanup(): Promise<void> {
  const { interrupt, report } = startStep();
  let step: Step | undefined;
  try {
    const guarded: Step = { settings: parseSettings(readInputs()), interrupt, report };
    step = guarded;
    const { settings } = guarded;
    // guard goes only with job ids, which always name the service.
    const serviceBase = settings.serviceBase ?? '';
    const ids = guardedJobs();
    await withClient(guarded, serviceBase, async (client, limits) => {
      info(`Guard: checking ${describeBatches(ids)} at ${serviceBase} (api-version ${settings.apiVersion}).`);
      const guard = settings.dryRun ? previewGuard : guardJob;
      const results = await mapConcurrently(ids, CONCURRENCY, (id) => guard(client, limits, id));
      sayResults(guarded, results, serviceBase);
    });
  } catch (error) {
    reportFailure(report, error);
  }
  if (step) await publish(step, GUARD_TITLE);
}
