// The step, top to bottom: read inputs → decide what the step is → run that mode → write outputs,
// the job summary and the pull request comment. `run` is the main step: the settings say once which
// mode it is, and one switch runs it (each mode is a file of modes/); `cleanup` is guard mode's post
// step. What every mode is given (its settings, the runner's cancel signal, the report) is
// modes/step.ts.

import type { ServiceError } from './common/batch.ts';
import { ErrorCode } from './common/error-codes.ts';
import type { Mode } from './common/types.ts';
import { describeBug, InputError, RunnerFileError, SignInError } from './common/user-errors.ts';
import { updatedEntries } from './github/ledger.ts';
import {
  debug,
  endGroup,
  fail,
  info,
  onRunnerCancel,
  readInputs,
  saveState,
  startGroup,
  warn,
  writeOutputs,
  writeSummary,
} from './github/runner.ts';
import { guardedBatches, markPostStepNext } from './github/step-state.ts';
import { cancelNamed } from './modes/cancel-named.ts';
import { cancelStale } from './modes/cancel-stale.ts';
import { cancelFromPullRequest } from './modes/from-pull-request.ts';
import { guardPost, recordGuard } from './modes/guard.ts';
import { type Step, stepOf, TITLE } from './modes/step.ts';
import { track } from './modes/track.ts';
import { renderComment, renderReport } from './report/html-report.ts';
import { outputsFor } from './report/outputs.ts';
import { StepReport } from './report/step-report.ts';
import { parseSettings, summaryWanted } from './settings/inputs.ts';

const GUARD_TITLE = 'Guard: translations left running when the job ended';

/** The job summary, and the pull request comment when `comment` is set; a failure here only warns. */
async function publish(step: Step, title: string): Promise<void> {
  const { settings } = step;
  if (settings.summary) await writeSummary(renderReport(step.report.view(title)));
  // The ledger's modes have written the comment already: it is their result.
  const { kind } = settings.mode;
  if (settings.comment && kind !== 'track' && kind !== 'from-pull-request')
    await commentOnPullRequest(step, title);
}

/** With `comment`, this run's report on the pull request, and the ledger's batches it touched; a failure only warns. */
async function commentOnPullRequest(step: Step, title: string): Promise<void> {
  const { settings, report } = step;
  const { describeGitHubError } = await import('./github/pr-comment.ts');
  const { eventName, pullRequestNumber, updatedBy } = await import('./github/pull-request.ts');
  try {
    const number = pullRequestNumber(settings.pullRequest);
    if (number === undefined) {
      info(`No pull request comment: the event is ${eventName()}, not a pull request.`);
      return;
    }
    const { updatePullRequestComment } = await import('./github/ledger-comments.ts');
    info(
      await updatePullRequestComment(
        settings.githubToken,
        number,
        {
          // Batches of the ledger that this run touched show their new status there too.
          changes: (known) => updatedEntries(known, report.results),
          render: (ledger) => renderComment(report.view(title, updatedBy()), ledger),
        },
        step.limits,
      ),
    );
  } catch (error) {
    warn(`Could not comment on the pull request${describeGitHubError(error)}`);
  }
}

/**
 * Reports what stopped the step: a user's mistake or a runner file that cannot be written in one
 * line, anything else as a bug to report; a user's mistake is also what the error outputs say, so
 * that a later step can tell it apart.
 */
function reportFailure(report: StepReport, error: unknown): ServiceError | undefined {
  if (error instanceof InputError || error instanceof SignInError) {
    report.say({ action: 'fail', message: error.message });
    const code = error instanceof InputError ? ErrorCode.InvalidInput : ErrorCode.SignInFailed;
    return { code, message: error.message };
  }
  if (error instanceof RunnerFileError) {
    report.say({ action: 'fail', message: error.message });
    return undefined;
  }
  debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
  report.say({ action: 'fail', message: describeBug(error) });
  return undefined;
}

function startStep(): { interrupt: AbortSignal; report: StepReport } {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  return { interrupt: interrupt.signal, report: new StepReport({ info, warn, fail, startGroup, endGroup }) };
}

/** The mode's own file does the step's work; a kind added to Mode and not run here does not compile. */
function runMode(step: Step, mode: Exclude<Mode, { kind: 'guard' }>): Promise<void> {
  switch (mode.kind) {
    case 'cancel-named':
      return cancelNamed(step, mode);
    case 'cancel-stale':
      return cancelStale(step, mode);
    case 'track':
      return track(step, mode);
    case 'from-pull-request':
      return cancelFromPullRequest(step, mode);
  }
}

/** The main step: decides once what the step is, and runs that mode. */
export async function run(): Promise<void> {
  const { interrupt, report } = startStep();
  const raw = readInputs();
  let step: Step | undefined;
  let stepError: ServiceError | undefined;
  try {
    markPostStepNext(saveState);
    step = stepOf(parseSettings(raw), interrupt, report);
    const { settings } = step;
    for (const remark of settings.remarks) report.say(remark);
    const { mode } = settings;
    if (mode.kind === 'guard') {
      recordGuard(mode);
      // Its post step publishes.
      return;
    }
    await runMode(step, mode);
  } catch (error) {
    stepError = reportFailure(report, error);
  }
  const { outputs, leftOutWarning } = outputsFor(report.results, stepError, report.verdicts);
  if (leftOutWarning) report.say({ action: 'warn', message: leftOutWarning });
  writeOutputs(outputs);
  if (step) await publish(step, TITLE);
  else if (summaryWanted(raw)) {
    await writeSummary(renderReport(report.view(TITLE)));
  }
}

/** Guard mode's post step: cancels the guarded batches still NotStarted or Running. */
export async function cleanup(): Promise<void> {
  const { interrupt, report } = startStep();
  let step: Step | undefined;
  try {
    step = stepOf(parseSettings(readInputs()), interrupt, report);
    const { mode } = step.settings;
    // index.ts runs the post step only when guard mode's main step recorded batches.
    if (mode.kind !== 'guard') throw new Error(`a post step runs after guard mode, not ${mode.kind}`);
    await guardPost(step, mode, guardedBatches());
  } catch (error) {
    reportFailure(report, error);
  }
  if (step) await publish(step, GUARD_TITLE);
}
