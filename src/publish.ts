// What the step came to, judged and published once, for every mode: the log, the outputs, the job
// summary and the pull request comment. main.ts loads it while the step's first request is on its
// way (or after the mode, when it sends none): nothing here is needed to send that request.

import type { ServiceError } from './common/batch.ts';
import { ErrorCode } from './common/error-codes.ts';
import { describeBug, InputError, RunnerFileError, SignInError } from './common/user-errors.ts';
import type { LedgerEntry } from './github/ledger.ts';
import {
  debug,
  endGroup,
  fail,
  notice,
  startGroup,
  warn,
  writeOutputs,
  writeSummary,
} from './github/runner.ts';
import { info } from './github/runner-start.ts';
import type { ModeNote, ModeOutcome } from './modes/outcome.ts';
import type { RenderComment } from './modes/step.ts';
import { type Note, type ReportView, renderComment, renderReport } from './report/html-report.ts';
import { outputsFor } from './report/outputs.ts';
import { type StepLog, sayNote, sayVerdicts } from './report/step-report.ts';
import { judge, stepVerdicts } from './report/verdict.ts';
import type { Verdict } from './report/wording.ts';
import type { RequestLimits } from './service/retry.ts';
import type { Settings } from './settings/settings.ts';

/** The runner's log, where the report says things. */
const LOG: StepLog = { info, notice, warn, fail, startGroup, endGroup };

/** What a step came to, for publishing: what it is, what its mode did, and what stopped it, if anything. */
export interface StepEnd {
  title: string;
  /** Whether this is the main step, which writes the outputs (a post step's are never read). */
  main: boolean;
  /** Whether to write the job summary: the setting's, read on its own when the inputs could not be read into settings. */
  jobSummary: boolean;
  /** Undefined when the inputs could not be read into settings. */
  settings?: Settings;
  limits?: RequestLimits;
  outcome: ModeOutcome;
  /** What stopped the step before its mode was done, if anything: it is said as a failure. */
  stoppedBy?: { error: unknown };
}

/** Says a note in the log, and keeps it for the report. */
function say(note: ModeNote, kept: ModeNote[]): void {
  sayNote(LOG, note);
  kept.push(note);
}

/** The error code of a step stopped by a user's mistake, or by the runner's cancel during sign-in. */
function stopCode(error: InputError | SignInError): string {
  if (error instanceof InputError) return ErrorCode.InvalidInput;
  return error.interrupted ? ErrorCode.Interrupted : ErrorCode.SignInFailed;
}

/**
 * What stopped the step, as it says it: a user's mistake or a runner file that cannot be written in
 * one line, anything else as a bug to report; a user's mistake (or the runner's cancel during
 * sign-in) is also what the error outputs say, so that a later step can tell it apart.
 */
function failureOf(error: unknown): { note: ModeNote; error?: ServiceError } {
  if (error instanceof InputError || error instanceof SignInError) {
    const code = stopCode(error);
    return { note: { level: 'fail', message: error.message }, error: { code, message: error.message } };
  }
  if (error instanceof RunnerFileError) return { note: { level: 'fail', message: error.message } };
  debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { note: { level: 'fail', message: describeBug(error) } };
}

/** The inputs' remarks, as notes (main.ts said the log lines among them before the mode's work). */
function settingsNotes(settings: Settings | undefined): ModeNote[] {
  return [...(settings?.remarks ?? [])];
}

/** The verdicts on `outcome`'s results, and the warnings they add about the step as a whole. */
function judged(settings: Pick<Settings, 'policy' | 'timeoutSeconds'>, outcome: ModeOutcome) {
  const verdicts = judge(outcome.results, settings, outcome.serviceBase);
  const { sent, unsent, unreadable } = stepVerdicts(outcome.results, verdicts);
  const added = unreadable ? [{ level: 'warn', message: unreadable.message } as const] : [];
  return { verdicts, sent, unsent, added };
}

/** The warnings and failures a report shows, of the notes said. */
function reportNotes(notes: readonly ModeNote[]): Note[] {
  return notes.filter((note): note is Note => note.level === 'warn' || note.level === 'fail');
}

function reportView(
  title: string,
  outcome: ModeOutcome,
  verdicts: readonly Verdict[],
  notes: readonly ModeNote[],
  footer?: string,
): ReportView {
  const { results, search, waited } = outcome;
  return { title, results, verdicts, notes: reportNotes(notes), search, waited, footer };
}

/** The pull request comment as the ledger's modes write it: the report of `outcome` so far, and `ledger`. */
export function commentRenderer(settings: Settings, title: string): RenderComment {
  return (outcome, ledger, footer) => {
    const { verdicts, added } = judged(settings, outcome);
    const notes = [...settingsNotes(settings), ...outcome.notes, ...added];
    return renderComment(reportView(title, outcome, verdicts, notes, footer), ledger);
  };
}

/** With `comment`, this run's report on the pull request, and the ledger's batches it touched; a failure only warns. */
async function commentOnPullRequest(
  settings: Settings,
  limits: RequestLimits,
  view: ReportView,
  end: StepEnd,
) {
  const { describeGitHubError } = await import(
    /* webpackChunkName: "pull-request-comment" */ './github/pr-comment.ts'
  );
  const { eventName, pullRequestNumber, updatedBy } = await import(
    /* webpackChunkName: "pull-request-comment" */ './github/pull-request.ts'
  );
  const { updatedEntries } = await import(
    /* webpackChunkName: "pull-request-comment" */ './github/ledger.ts'
  );
  try {
    const number = pullRequestNumber(settings.pullRequest);
    if (number === undefined) {
      info(`No pull request comment: the event is ${eventName()}, not a pull request.`);
      return;
    }
    const { updatePullRequestComment } = await import(
      /* webpackChunkName: "pull-request-comment" */ './github/ledger-comments.ts'
    );
    const update = {
      // Batches of the ledger that this run touched show their new status there too.
      changes: (known: readonly LedgerEntry[]) => updatedEntries(known, end.outcome.results),
      render: (ledger: readonly LedgerEntry[]) => renderComment({ ...view, footer: updatedBy() }, ledger),
    };
    info(await updatePullRequestComment(settings.githubToken, number, update, limits));
  } catch (error) {
    warn(`Could not comment on the pull request${describeGitHubError(error)}`);
  }
}

/**
 * Says and writes what the step came to: the mode's notes, each batch's verdict, what stopped the
 * step; then the outputs (the main step's), the job summary and, with `comment`, the pull request
 * comment (unless the mode wrote it, as the ledger's modes do).
 */
export async function publish(end: StepEnd): Promise<void> {
  const { settings, outcome } = end;
  const failure = end.stoppedBy && failureOf(end.stoppedBy.error);
  const notes = settingsNotes(settings);
  for (const note of notes) if (note.level === 'warn') sayNote(LOG, note);
  for (const note of outcome.notes) say(note, notes);
  const { verdicts, sent, unsent, added } = settings
    ? judged(settings, outcome)
    : { verdicts: [], sent: [], unsent: undefined, added: [] };
  if (outcome.results.length > 0) sayVerdicts(LOG, sent, unsent);
  for (const note of added) say(note, notes);
  if (failure) say(failure.note, notes);
  if (end.main) {
    const { outputs, leftOutWarning } = outputsFor(outcome.results, failure?.error, verdicts);
    if (leftOutWarning) say({ level: 'warn', message: leftOutWarning }, notes);
    // Guard mode's main step names the batches it guards; its post step reports on them.
    if (outcome.guarded) outputs['job-id'] = outcome.guarded.join('\n');
    writeOutputs(outputs);
  }
  if (outcome.guarded) return;
  const view = reportView(end.title, outcome, verdicts, notes);
  if (end.jobSummary) writeSummary(renderReport(view));
  if (settings?.comment && end.limits && !outcome.commented) {
    await commentOnPullRequest(settings, end.limits, view, end);
  }
}
