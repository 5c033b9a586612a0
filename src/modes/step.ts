// What every mode of the step works with: its settings, the runner's cancel signal and the report;
// a client of the service signed in with the step's credential; cancelling a set of batches and
// judging each result.

import type { BatchResult, Target } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import type { Cancelling, Service, Settings } from '../common/types.ts';
import { info } from '../github/runner.ts';
import type { StepReport } from '../report/step-report.ts';
import { judge, unreadableCountsWarning } from '../report/verdict.ts';
import { credentialHeaders, USER_AGENT } from '../service/authentication.ts';
import { cancelBatch, previewCancel } from '../service/cancel-batch.ts';
import { mapConcurrently } from '../service/concurrency.ts';
import { createDispatcher } from '../service/http.ts';
import { Deadline, type RequestLimits } from '../service/timing.ts';
import { TranslatorClient } from '../service/translator-client.ts';

// Requests in flight at once when acting on many batches; the throttle slows them when told to.
export const CONCURRENCY = 16;
export const TITLE = 'Cancel Document Translation';

/** What every mode works with. */
export interface Step {
  settings: Settings;
  interrupt: AbortSignal;
  report: StepReport;
}

/**
 * Runs `work` with a client of the service at `serviceBase`, signed in with the step's credential;
 * one connection pool (and proxy) for all of it, closed after. The close is not waited for: it takes
 * a turn of the event loop (a few ms of every run) for sockets that undici has already let go of
 * (idle sockets do not keep the process alive), and its promise never rejects.
 */
export async function withClient<T>(
  step: Step,
  { serviceBase, credential }: Service,
  work: (client: TranslatorClient, limits: RequestLimits) => Promise<T>,
): Promise<T> {
  const { settings, interrupt } = step;
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    log: info,
  };
  const dispatcher = await createDispatcher();
  try {
    const authHeaders = await credentialHeaders(credential, dispatcher, interrupt);
    const connection = { serviceBase, apiVersion: settings.apiVersion, authHeaders, userAgent: USER_AGENT };
    return await work(new TranslatorClient(connection, limits, dispatcher), limits);
  } finally {
    void dispatcher.destroy();
  }
}

/** "batch <id>" for one, "<n> batches" for several, as the log names what a step acts on. */
export function describeBatches(ids: readonly string[]): string {
  return ids.length === 1 ? `batch ${ids[0]}` : `${grouped(ids.length)} batches`;
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

/** Cancels each target (or, in a dry run, says what a cancel would do), and reports each result. */
export async function cancelTargets(
  step: Step,
  client: TranslatorClient,
  limits: RequestLimits,
  targets: readonly Target[],
  serviceBase: string,
  { dryRun, wait }: Omit<Cancelling, 'maxJobs'>,
): Promise<void> {
  const doing = dryRun ? 'Dry run: checking' : 'Cancelling';
  const ids = targets.map((target) => target.id);
  info(`${doing} ${describeBatches(ids)} at ${serviceBase} (api-version ${step.settings.apiVersion}).`);
  const act = dryRun
    ? (target: Target) => previewCancel(client, limits, target.id, target.listed)
    : (target: Target) => cancelBatch(client, limits, target.id, { wait, known: target.listed });
  const results = await mapConcurrently(
    targets,
    CONCURRENCY,
    async (target): Promise<BatchResult> =>
      target.refused ? { id: target.id, outcome: 'error', error: target.refused } : act(target),
  );
  sayResults(step, results, serviceBase, wait);
}

export function sayResults(
  step: Step,
  results: readonly BatchResult[],
  serviceBase: string,
  waited = false,
): void {
  const { settings, report } = step;
  const context = { serviceBase, timeoutSeconds: settings.timeoutSeconds };
  const verdicts = results.map((result) => judge(result, settings.policy, context));
  report.record(results, verdicts, waited);
  report.sayAll(verdicts);
  const unreadable = unreadableCountsWarning(results);
  if (unreadable) report.say(unreadable);
}
