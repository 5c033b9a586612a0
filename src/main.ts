// The step, top to bottom: read inputs → decide what the step is → resolve the jobs → send the
// requests → interpret the answers → apply the policy → write outputs, the job summary and the pull
// request comment. Each mode has its own function; `run` is the main step, `cleanup` guard mode's
// post step.
import { credentialHeaders, USER_AGENT } from './authentication.ts';
import { cancelJob, guardJob, type JobResult, previewCancel, previewGuard, trackJob } from './cancel-job.ts';
import { mapConcurrently } from './concurrency.ts';
import { findStaleBatches } from './discover.ts';
import { CREDENTIAL_STAYS, resolveServiceBase } from './endpoint.ts';
import { createDispatcher } from './http.ts';
import { parseSettings, type Settings, summaryWanted } from './inputs.ts';
import { type LedgerEntry, renderLedger } from './ledger.ts';
import { Output } from './names.ts';
import { outputsFor } from './outputs.ts';
import {
  debug,
  info,
  notice,
  onRunnerCancel,
  readInputs,
  redact,
  saveState,
  warn,
  writeOutputs,
  writeSummary,
} from './runner.ts';
import { StepReport } from './step-report.ts';
import { guardedJobs, markPostStepNext, saveGuardedJobs } from './step-state.ts';
import { type ReportView, renderReport } from './summary.ts';
import { Throttle } from './throttle.ts';
import { Deadline } from './timing.ts';
import { type RequestLimits, TranslatorClient } from './translator-client.ts';
import { errorText, InputError, quote, SignInError } from './user-errors.ts';
import { judge } from './verdict.ts';
import { ErrorCode, isFinalStatus, type ServiceError, type TranslationStatus } from './wire.ts';

// Requests in flight at once when acting on many batches; the throttle slows them when told to.
const CONCURRENCY = 16;
const TITLE = 'Cancel Document Translation';
// A comment holds at most 65,536 characters: the report's share; the ledger's table takes the rest.
const COMMENT_BUDGET = 30_000;
const GUARD_TITLE = 'Guard: translations left running when the job ended';

interface Target {
  id: string;
  /** The status the list or the ledger gave. */
  listed?: TranslationStatus;
  /** Why the target is not sent anywhere: the list gave an id that is not a batch id, or the ledger another host. */
  refused?: ServiceError;
}

/** What every mode works with. */
interface Step {
  settings: Settings;
  interrupt: AbortSignal;
  report: StepReport;
}

/**
 * Runs `work` with a client of the service at `serviceBase`, signed in with the step's credential;
 * one connection pool (and proxy) for all of it, closed after.
 */
async function withClient<T>(
  step: Step,
  serviceBase: string,
  work: (client: TranslatorClient, limits: RequestLimits) => Promise<T>,
): Promise<T> {
  const { settings, interrupt } = step;
  if (!settings.credential)
    throw new InputError('No credential: set subscription-key, access-token or client-id.');
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    throttle: new Throttle(),
    log: info,
  };
  const dispatcher = await createDispatcher();
  try {
    const authHeaders = await credentialHeaders(settings.credential, dispatcher, interrupt);
    const connection = { serviceBase, apiVersion: settings.apiVersion, authHeaders, userAgent: USER_AGENT };
    return await work(new TranslatorClient(connection, limits, dispatcher), limits);
  } finally {
    await dispatcher.destroy();
  }
}

function describeTargets(targets: readonly Target[]): string {
  return targets.length === 1 ? `batch ${targets[0]?.id}` : `${targets.length} batches`;
}

/** Keeps the first max-jobs targets, warning how many remain. */
function capTargets(step: Step, targets: Target[], order: string): Target[] {
  const { maxJobs } = step.settings;
  if (targets.length <= maxJobs) return targets;
  step.report.say({
    action: 'warn',
    message: `${targets.length} batches to cancel, more than max-jobs (${maxJobs}): cancelling the first ${maxJobs}${order}; ${targets.length - maxJobs} remain.`,
  });
  return targets.slice(0, maxJobs);
}

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

/** Cancels each target (or, in a dry run, says what a cancel would do), and reports each result. */
async function cancelTargets(
  step: Step,
  client: TranslatorClient,
  limits: RequestLimits,
  targets: readonly Target[],
  serviceBase: string,
): Promise<void> {
  const { settings } = step;
  const doing = settings.dryRun ? 'Dry run: checking' : 'Cancelling';
  info(`${doing} ${describeTargets(targets)} at ${serviceBase} (api-version ${settings.apiVersion}).`);
  const act = settings.dryRun
    ? (target: Target) => previewCancel(client, limits, target.id, target.listed)
    : (target: Target) => cancelJob(client, limits, target.id, settings.wait);
  const results = await mapConcurrently(
    targets,
    CONCURRENCY,
    async (target): Promise<JobResult> =>
      target.refused ? { id: target.id, outcome: 'error', error: target.refused } : act(target),
  );
  sayResults(step, results, serviceBase);
}

function sayResults(step: Step, results: readonly JobResult[], serviceBase: string): void {
  const { settings, report } = step;
  if (results.length === 0) info('Nothing to cancel.');
  const context = { serviceBase, timeoutSeconds: settings.timeoutSeconds };
  const verdicts = results.map((result) => judge(result, settings.policy, context));
  report.record(results, verdicts);
  report.sayAll(verdicts);
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
  const ids = settings.jobs.kind === 'ids' ? settings.jobs.ids : [];
  saveGuardedJobs(saveState, ids);
  info(
    `Guarding ${ids.length === 1 ? `batch ${ids[0]}` : `${ids.length} batches`}: when the job ends, for any reason, its post step cancels any still NotStarted or Running.`,
  );
}

/** What the report shows of this step; `footer` says which run wrote it, in the comment. */
function reportView(step: Step, title: string, footer?: string): ReportView {
  const { report, settings } = step;
  return {
    title,
    results: report.results,
    verdicts: report.verdicts,
    notes: report.notes,
    search: report.search,
    waited: settings.wait,
    footer,
  };
}

/** What the comment says: this run's report, then the pull request's ledger. */
function renderComment(step: Step, title: string, ledger: readonly LedgerEntry[], footer: string): string {
  const parts = [renderReport(reportView(step, title, footer), COMMENT_BUDGET)];
  if (ledger.length > 0) parts.push(renderLedger(ledger));
  return redact(parts.join('\n'));
}

/** A ledger entry as this run knows the batch now. */
function entryFor(result: JobResult, host: string, now: string, known?: LedgerEntry): LedgerEntry {
  return {
    recordedAt: now,
    ...known,
    id: result.id,
    host,
    status: result.status?.status ?? known?.status,
    outcome: result.outcome,
    updatedAt: now,
  };
}

/** The ledger's entries for the batches of `results` it holds, with what this run learned of them. */
function updatedEntries(known: readonly LedgerEntry[], results: readonly JobResult[]): LedgerEntry[] {
  const now = new Date().toISOString();
  return results.flatMap((result) => {
    const entry = known.find((candidate) => candidate.id === result.id);
    return entry ? [entryFor(result, entry.host, now, entry)] : [];
  });
}

/** track: records the batches in the pull request's ledger, reading each status first with a credential. */
async function track(step: Step, serviceBase: string): Promise<void> {
  const { settings, report } = step;
  const ids = settings.jobs.kind === 'ids' ? settings.jobs.ids : [];
  const { currentRunUrl, requirePullRequest, updatePullRequestComment, updatedBy } = await import(
    './pr-comment.ts'
  );
  const number = requirePullRequest(settings.pullRequest, 'track');
  let results: JobResult[];
  if (settings.credential) {
    info(
      `Reading the status of ${ids.length === 1 ? `batch ${ids[0]}` : `${ids.length} batches`} at ${serviceBase}.`,
    );
    results = await withClient(step, serviceBase, (client, limits) =>
      mapConcurrently(ids, CONCURRENCY, (id) => trackJob(client, limits, id)),
    );
  } else {
    results = ids.map((id): JobResult => ({ id, outcome: 'tracked' }));
  }
  report.record(results);
  const tracked = results.filter((result) => result.outcome === 'tracked');
  const now = new Date().toISOString();
  const run = currentRunUrl();
  const entries = tracked.map((result) => ({ ...entryFor(result, serviceBase, now), run }));
  try {
    if (entries.length > 0) {
      info(
        await updatePullRequestComment(settings.githubToken, number, {
          changes: () => entries,
          render: (ledger) => renderComment(step, TITLE, ledger, updatedBy()),
        }),
      );
    }
  } catch (error) {
    const message = `Could not record ${entries.length} batches on pull request #${number}${describeGitHubError(error)}`;
    report.record(
      results.map(
        (result): JobResult =>
          result.outcome === 'tracked'
            ? { ...result, outcome: 'error', error: { code: ErrorCode.NotRecorded, message } }
            : result,
      ),
    );
  }
  sayResults(step, report.results, serviceBase);
}

/** The one service the ledger's pending batches share, when no endpoint was given. */
function ledgerService(step: Step, pending: readonly LedgerEntry[]): string {
  const hosts = [...new Set(pending.map((entry) => entry.host))];
  if (hosts.length > 1) {
    throw new InputError(
      `The pull request's batches are on ${hosts.length} resources (${hosts.map((host) => new URL(host).host).join(', ')}): set endpoint to one; a step cancels the batches of one resource.`,
    );
  }
  const [host = ''] = hosts;
  return resolveServiceBase(
    '',
    { serviceUrl: new URL(host), inputName: "the pull request's ledger" },
    step.settings.allowedHosts,
  );
}

/** from-pull-request: cancels every batch in the pull request's ledger that has not finished. */
async function cancelFromPullRequest(step: Step): Promise<void> {
  const { settings, report } = step;
  const { readPullRequestLedger, requirePullRequest, updatePullRequestComment, updatedBy } = await import(
    './pr-comment.ts'
  );
  const number = requirePullRequest(settings.pullRequest, 'from-pull-request');
  const { ledger, foreign, unreadable } = await readPullRequestLedger(settings.githubToken, number);
  if (foreign > 0) {
    report.say({
      action: 'warn',
      message: `${foreign} comments on pull request #${number} by someone other than github-token's user carry this action's marker: ignored, since anyone may comment on a pull request.`,
    });
  }
  if (unreadable > 0) {
    report.say({
      action: 'warn',
      message: `${unreadable} entries of pull request #${number}'s ledger could not be read: ignored.`,
    });
  }
  const pending = ledger.filter(
    (entry) => !isFinalStatus({ id: entry.id, status: entry.status ?? 'NotStarted' }),
  );
  if (pending.length === 0) {
    const what =
      ledger.length === 0
        ? 'No translations are recorded'
        : `All ${ledger.length} recorded translations have finished`;
    notice(`${what} on pull request #${number}: nothing to cancel.`);
    return;
  }
  const serviceBase = settings.serviceBase ?? ledgerService(step, pending);
  const targets = capTargets(
    step,
    pending.map((entry): Target => {
      if (entry.host === serviceBase) return { id: entry.id };
      const message = `recorded on ${new URL(entry.host).host}, not on the endpoint ${new URL(serviceBase).host}: skipped, ${CREDENTIAL_STAYS}; stop it with a step whose endpoint is ${entry.host}.`;
      return { id: entry.id, refused: { code: ErrorCode.OtherEndpoint, message } };
    }),
    ', the first recorded',
  );
  info(`Pull request #${number} recorded ${ledger.length} batches; ${pending.length} may still be running.`);
  await withClient(step, serviceBase, (client, limits) =>
    cancelTargets(step, client, limits, targets, serviceBase),
  );
  if (settings.dryRun) {
    info('Dry run: the pull request comment is left as it is.');
    return;
  }
  const acted = report.results.filter((result) => result.error?.code !== ErrorCode.OtherEndpoint);
  try {
    info(
      await updatePullRequestComment(settings.githubToken, number, {
        changes: (known) => updatedEntries(known, acted),
        render: (latest) => renderComment(step, TITLE, latest, updatedBy()),
      }),
    );
  } catch (error) {
    warn(`Could not update the comment on pull request #${number}${describeGitHubError(error)}`);
  }
}

/** Why GitHub refused, as the end of a sentence that starts with what could not be done. */
function describeGitHubError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const text = errorText(error);
  return `${status ? ` (HTTP ${status})` : ''}: ${text.replace(/\.$/, '')}. Grant the job \`permissions: pull-requests: write\`; a pull request from a fork gets a read-only token.`;
}

/** The job summary, and the pull request comment when `comment` is set; a failure here only warns. */
async function publish(step: Step, title: string): Promise<void> {
  const { settings, report } = step;
  if (settings.summary) await writeSummary(renderReport(reportView(step, title)));
  // The ledger's modes have written the comment already: it is their result.
  if (!settings.comment || settings.track || settings.jobs.kind === 'ledger') return;
  try {
    const { eventName, pullRequestNumber, updatePullRequestComment, updatedBy } = await import(
      './pr-comment.ts'
    );
    const number = pullRequestNumber(settings.pullRequest);
    if (number === undefined) {
      info(`No pull request comment: the event is ${eventName()}, not a pull request.`);
      return;
    }
    info(
      await updatePullRequestComment(settings.githubToken, number, {
        // Batches of the ledger that this run touched show their new status there too.
        changes: (known) => updatedEntries(known, report.results),
        render: (ledger) => renderComment(step, title, ledger, updatedBy()),
      }),
    );
  } catch (error) {
    warn(`Could not comment on the pull request${describeGitHubError(error)}`);
  }
}

/** Reports what stopped the step: a user's mistake in one line, anything else as an unexpected error. */
function reportFailure(report: StepReport, error: unknown): void {
  if (error instanceof InputError || error instanceof SignInError) {
    report.say({ action: 'fail', message: error.message });
    return;
  }
  debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
  report.say({
    action: 'fail',
    message: `Unexpected error: ${errorText(error)}`,
  });
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
  try {
    step = { settings: parseSettings(raw), interrupt, report };
    const { settings } = step;
    if (settings.guard) {
      recordGuard(settings);
      writeOutputs({
        ...outputsFor([]),
        [Output.JobId]: settings.jobs.kind === 'ids' ? settings.jobs.ids.join('\n') : '',
      });
      // Its post step publishes.
      return;
    }
    try {
      // Only from-pull-request may leave the service to the ledger; every other mode names it.
      if (settings.jobs.kind === 'ledger') await cancelFromPullRequest(step);
      else if (settings.serviceBase && settings.track) await track(step, settings.serviceBase);
      else if (settings.serviceBase) await cancelBatches(step, settings.serviceBase);
    } finally {
      writeOutputs(outputsFor(report.results));
    }
  } catch (error) {
    reportFailure(report, error);
  }
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
      info(
        `Guard: checking ${describeTargets(ids.map((id) => ({ id })))} at ${serviceBase} (api-version ${settings.apiVersion}).`,
      );
      const guard = settings.dryRun ? previewGuard : guardJob;
      const results = await mapConcurrently(ids, CONCURRENCY, (id) => guard(client, limits, id));
      sayResults(guarded, results, serviceBase);
    });
  } catch (error) {
    reportFailure(report, error);
  }
  if (step) await publish(step, GUARD_TITLE);
}
