// The step, top to bottom: read the inputs → decide once what the step is (its settings and mode) →
// the mode's work, which returns its results → judge them under the error policy and publish once:
// the log, the outputs, the job summary, the pull request comment. runStep() is the one entry, for
// index.ts and the tests alike: the main step, or guard mode's post step.

import type { ServiceError } from './common/batch.ts';
import { ErrorCode } from './common/error-codes.ts';
import type { RawInputs } from './common/names.ts';
import { describeBug, InputError, RunnerFileError, SignInError } from './common/user-errors.ts';
import type { LedgerEntry } from './github/ledger.ts';
import {
  debug,
  endGroup,
  fail,
  info,
  notice,
  onRunnerCancel,
  readInputs,
  saveState,
  startGroup,
  warn,
  writeOutputs,
  writeSummary,
} from './github/runner.ts';
import { guardedBatches, markPostStepNext, stepToRun } from './github/step-state.ts';
import { cancelNamed } from './modes/cancel-named.ts';
import { cancelStale } from './modes/cancel-stale.ts';
import { cancelFromPullRequest } from './modes/from-pull-request.ts';
import { guardPost, recordGuard } from './modes/guard.ts';
import type { ModeNote, ModeOutcome } from './modes/outcome.ts';
import type { ModeContext } from './modes/step.ts';
import { track } from './modes/track.ts';
import { type Note, type ReportView, renderComment, renderReport } from './report/html-report.ts';
import { outputsFor } from './report/outputs.ts';
import { type StepLog, sayNote, sayVerdicts } from './report/step-report.ts';
import { judge, stepVerdicts } from './report/verdict.ts';
import type { Verdict } from './report/wording.ts';
import { ServiceClients } from './service/connection.ts';
import { type RequestLimits, requestLimits } from './service/retry.ts';
import { parseSettings, summaryWanted } from './settings/inputs.ts';
import type { Settings } from './settings/settings.ts';

const TITLE = 'Cancel Document Translation';
const GUARD_TITLE = 'Guard: translations left running when the job ended';

/** The runner's log, where the report says things. */
const LOG: StepLog = { info, notice, warn, fail, startGroup, endGroup };

/** What a step came to, for publishing: what it is, what its mode did, and what stopped it, if anything. */
interface StepEnd {
  title: string;
  /** Whether this is the main step, which writes the outputs (a post step's are never read). */
  main: boolean;
  raw: RawInputs;
  /** Undefined when the inputs could not be read into settings. */
  settings?: Settings;
  limits?: RequestLimits;
  outcome: ModeOutcome;
  /** What was said before the mode's work (the inputs' remarks), in order. */
  said: readonly ModeNote[];
  /** What stopped the step before its mode was done, said as a failure. */
  failure?: { note: ModeNote; error?: ServiceError };
}

/** Says a note in the log, and keeps it for the report. */
function say(note: ModeNote, kept?: ModeNote[]): void {
  sayNote(LOG, note);
  kept?.push(note);
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
  return notes.flatMap((note) =>
    note.level === 'warn' || note.level === 'fail' ? [{ level: note.level, message: note.message }] : [],
  );
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

/** The pull request comment for `outcome` so far and `ledger`, as the ledger's modes write it. */
function commentFor(
  settings: Settings,
  title: string,
  outcome: ModeOutcome,
  ledger: readonly LedgerEntry[],
  footer: string,
): string {
  const { verdicts, added } = judged(settings, outcome);
  const view = reportView(
    title,
    outcome,
    verdicts,
    [...settingsNotes(settings), ...outcome.notes, ...added],
    footer,
  );
  return renderComment(view, ledger);
}

/** The inputs' remarks, as notes. */
function settingsNotes(settings: Settings): ModeNote[] {
  return settings.remarks.map((remark) => ({
    level: remark.action === 'warn' ? 'warn' : 'info',
    message: remark.message,
  }));
}

/** With `comment`, this run's report on the pull request, and the ledger's batches it touched; a failure only warns. */
async function commentOnPullRequest(
  settings: Settings,
  limits: RequestLimits,
  view: ReportView,
  end: StepEnd,
) {
  const { describeGitHubError } = await import('./github/pr-comment.ts');
  const { eventName, pullRequestNumber, updatedBy } = await import('./github/pull-request.ts');
  const { updatedEntries } = await import('./github/ledger.ts');
  try {
    const number = pullRequestNumber(settings.pullRequest);
    if (number === undefined) {
      info(`No pull request comment: the event is ${eventName()}, not a pull request.`);
      return;
    }
    const { updatePullRequestComment } = await import('./github/ledger-comments.ts');
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
async function publish(end: StepEnd): Promise<void> {
  const { settings, outcome, failure } = end;
  const notes = [...end.said];
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
  if (settings ? settings.jobSummary : summaryWanted(end.raw)) await writeSummary(renderReport(view));
  if (settings?.comment && end.limits && !outcome.commented) {
    await commentOnPullRequest(settings, end.limits, view, end);
  }
}

/** The mode's work, which the settings name, for the main step or guard mode's post step. */
export async function work(
  settings: Settings,
  limits: RequestLimits,
  step: 'main' | 'post',
): Promise<ModeOutcome> {
  const clients = new ServiceClients(settings, limits);
  const title = step === 'main' ? TITLE : GUARD_TITLE;
  const context: ModeContext = {
    github: { token: settings.githubToken, pullRequest: settings.pullRequest },
    limits,
    connect: (service) => clients.open(service),
    log: info,
    renderComment: (outcome, ledger, footer) => commentFor(settings, title, outcome, ledger, footer),
  };
  try {
    const { mode } = settings;
    if (step === 'post') {
      // index.ts runs the post step only when guard mode's main step recorded batches.
      if (mode.kind !== 'guard') throw new Error(`a post step runs after guard mode, not ${mode.kind}`);
      return await guardPost(mode, guardedBatches(), context);
    }
    switch (mode.kind) {
      case 'cancel-named':
        return await cancelNamed(mode, context);
      case 'cancel-stale':
        return await cancelStale(mode, context);
      case 'guard':
        return recordGuard(mode, saveState);
      case 'track':
        return await track(mode, context);
      case 'from-pull-request':
        return await cancelFromPullRequest(mode, context);
    }
  } finally {
    clients.close();
  }
}

/**
 * What stopped the step, as it says it: a user's mistake or a runner file that cannot be written in
 * one line, anything else as a bug to report; a user's mistake is also what the error outputs say,
 * so that a later step can tell it apart.
 */
function failureOf(error: unknown): { note: ModeNote; error?: ServiceError } {
  if (error instanceof InputError || error instanceof SignInError) {
    const code = error instanceof InputError ? ErrorCode.InvalidInput : ErrorCode.SignInFailed;
    return { note: { level: 'fail', message: error.message }, error: { code, message: error.message } };
  }
  if (error instanceof RunnerFileError) return { note: { level: 'fail', message: error.message } };
  debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { note: { level: 'fail', message: describeBug(error) } };
}

/** The runner's cancel, as a signal every request and wait of the step stops on. */
function runnerCancel(): AbortSignal {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  return interrupt.signal;
}

/** The step: the main step, or guard mode's post step; nothing for another post step. */
export async function runStep(): Promise<void> {
  const step = stepToRun();
  if (step === 'none') return;
  const interrupt = runnerCancel();
  const raw = readInputs();
  const end: StepEnd = {
    title: step === 'main' ? TITLE : GUARD_TITLE,
    main: step === 'main',
    raw,
    outcome: { results: [], serviceBase: '', waited: false, notes: [] },
    said: [],
  };
  try {
    if (step === 'main') markPostStepNext(saveState);
    end.settings = parseSettings(raw);
    end.limits = requestLimits(end.settings, interrupt, info);
    end.said = settingsNotes(end.settings);
    for (const note of end.said) say(note);
    end.outcome = await work(end.settings, end.limits, step);
  } catch (error) {
    end.failure = failureOf(error);
  }
  await publish(end);
}
