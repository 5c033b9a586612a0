// One run, top to bottom: read inputs → resolve the jobs → send the cancels → interpret the answers
// → apply the policy → write outputs, the job summary and the pull request comment.
import { type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { cancelJob, guardJob, type JobResult, previewCancel } from './cancel-job.ts';
import { mapConcurrently } from './concurrency.ts';
import { findStaleBatches } from './discover.ts';
import { type Credential, parseSettings, type Settings } from './inputs.ts';
import { Input, Output } from './names.ts';
import { outputsFor } from './outputs.ts';
import {
  debug,
  endGroup,
  fail,
  info,
  maskSecret,
  onRunnerCancel,
  readInputs,
  redact,
  requestOidcToken,
  saveState,
  startGroup,
  warn,
  writeOutputs,
  writeSummary,
} from './runner.ts';
import { guardedJobs, State } from './step-state.ts';
import { type Note, renderReport } from './summary.ts';
import { Throttle } from './throttle.ts';
import { Deadline } from './timing.ts';
import { type RequestLimits, TranslatorClient } from './translator-client.ts';
import { InputError, quote, SignInError } from './user-errors.ts';
import { judge, type Verdict } from './verdict.ts';
import { type ServiceError, type TranslationStatus, UNEXPECTED_RESPONSE } from './wire.ts';

const USER_AGENT = 'cancel-document-translation/1';
// Requests in flight at once when cancelling many batches; the throttle slows them when told to.
const CONCURRENCY = 16;

interface Target {
  id: string;
  /** The status the list gave, when the batch was found by stale-after. */
  listed?: TranslationStatus;
  /** Why the target is not sent anywhere: the list gave an id that is not a batch id. */
  refused?: ServiceError;
}

/** What the step says to the user: log lines, and the warnings and failures it also keeps for the summary. */
class StepReport {
  readonly notes: Note[] = [];
  results: JobResult[] = [];

  say(verdict: Verdict): void {
    switch (verdict.action) {
      case 'pass':
      case 'ignore':
        info(verdict.message);
        return;
      case 'warn':
        this.notes.push({ level: 'warning', message: verdict.message });
        warn(verdict.message);
        return;
      case 'fail':
        this.notes.push({ level: 'failure', message: verdict.message });
        fail(verdict.message);
        return;
    }
  }

  /** One log line per batch, in a group; one annotation for the warnings and one for the failures. */
  sayAll(verdicts: readonly Verdict[]): void {
    if (verdicts.length === 1 && verdicts[0]) {
      this.say(verdicts[0]);
      return;
    }
    startGroup(`${verdicts.length} batches`);
    for (const verdict of verdicts) info(verdict.message);
    endGroup();
    for (const action of ['warn', 'fail'] as const) {
      const matching = verdicts.filter((verdict) => verdict.action === action);
      const [first] = matching;
      if (!first) continue;
      const more = matching.length > 1 ? ` (${matching.length - 1} more in the log)` : '';
      this.say({
        action,
        message: `${matching.length} of ${verdicts.length} batches: ${first.message}${more}`,
      });
    }
  }
}

/** The headers that carry the credential; keyless sign-in happens here. */
async function authorization(
  credential: Credential,
  dispatcher: Dispatcher,
): Promise<Record<string, string>> {
  switch (credential.kind) {
    case 'key':
      return {
        'ocp-apim-subscription-key': credential.subscriptionKey,
        ...(credential.region ? { 'ocp-apim-subscription-region': credential.region } : {}),
      };
    case 'access-token':
      return { authorization: `Bearer ${credential.accessToken}` };
    case 'federated': {
      const { describeSignIn, exchangeOidcToken, OIDC_AUDIENCE } = await import('./entra.ts');
      info(
        `Signing in as client-id ${credential.clientId} in tenant ${credential.tenantId} with the workflow's OIDC token, to ${describeSignIn(credential)}.`,
      );
      const oidcToken = await requestOidcToken(OIDC_AUDIENCE);
      const accessToken = await exchangeOidcToken(credential, oidcToken, dispatcher, USER_AGENT);
      maskSecret(accessToken);
      return { authorization: `Bearer ${accessToken}` };
    }
  }
}

/** The batches this run acts on, or undefined after reporting why there are none to act on. */
async function selectTargets(
  client: TranslatorClient,
  settings: Settings,
  report: StepReport,
): Promise<Target[] | undefined> {
  const { jobs, maxJobs } = settings;
  let targets: Target[];
  if (jobs.kind === 'ids') {
    targets = jobs.ids.map((id) => ({ id }));
  } else {
    const createdBefore = new Date(Date.now() - jobs.staleAfterMs);
    info(
      `Looking for NotStarted or Running batches created before ${createdBefore.toISOString()} (stale-after ${jobs.staleAfter}).`,
    );
    const found = await findStaleBatches(client, createdBefore);
    if ('error' in found) {
      report.say({
        action: 'fail',
        message: `Could not list the batches at ${settings.serviceBase}: ${found.error.code}: ${found.error.message}`,
      });
      return undefined;
    }
    info(`Found ${found.batches.length} stale batches in ${found.pages} pages.`);
    targets = found.batches.map((listed) => ({ id: listed.id, listed }));
    for (const invalidId of found.invalidIds) {
      const id = quote(invalidId);
      const message = `the list of batches gave ${id}, which is not a batch id (a GUID): it was not sent anywhere.`;
      targets.push({ id, refused: { code: UNEXPECTED_RESPONSE, message } });
    }
  }
  if (targets.length > maxJobs) {
    report.say({
      action: 'warn',
      message: `${targets.length} batches to cancel, more than max-jobs (${maxJobs}): cancelling the first ${maxJobs}${jobs.kind === 'stale' ? ', the oldest' : ''}; ${targets.length - maxJobs} remain.`,
    });
    targets = targets.slice(0, maxJobs);
  }
  return targets;
}

/** Guard mode's main step: the batches are recorded for the post step, and nothing is sent. */
function recordGuard(settings: Settings): void {
  const ids = settings.jobs.kind === 'ids' ? settings.jobs.ids : [];
  saveState(State.GuardedJobs, JSON.stringify(ids));
  info(
    `Guarding ${ids.length === 1 ? `batch ${ids[0]}` : `${ids.length} batches`}: when the job ends, for any reason, its post step cancels any still NotStarted or Running.`,
  );
  writeOutputs({ ...outputsFor([]), [Output.JobId]: ids.join('\n') });
}

async function cancel(
  settings: Settings,
  interrupt: AbortSignal,
  report: StepReport,
  post: boolean,
): Promise<void> {
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    throttle: new Throttle(),
    log: info,
  };
  // HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) apply to every request, to Azure and to Entra.
  const dispatcher = new EnvHttpProxyAgent({ connect: { timeout: 10_000 } });
  try {
    const authHeaders = await authorization(settings.credential, dispatcher);
    const client = new TranslatorClient(
      { ...settings, authHeaders, userAgent: USER_AGENT },
      limits,
      dispatcher,
    );
    const targets: Target[] | undefined = post
      ? guardedJobs().map((id): Target => ({ id }))
      : await selectTargets(client, settings, report);
    if (!targets) return;
    const what = targets.length === 1 ? `batch ${targets[0]?.id}` : `${targets.length} batches`;
    const doing = post ? 'Guard: checking' : settings.dryRun ? 'Dry run: checking' : 'Cancelling';
    info(`${doing} ${what} at ${settings.serviceBase} (api-version ${settings.apiVersion}).`);
    report.results = await mapConcurrently(targets, CONCURRENCY, async (target): Promise<JobResult> => {
      if (target.refused) return { id: target.id, outcome: 'error', error: target.refused };
      if (post) return guardJob(client, limits, target.id, settings.dryRun);
      if (settings.dryRun) return previewCancel(client, limits, target.id, target.listed);
      return cancelJob(client, limits, target.id, settings.wait);
    });
    if (report.results.length === 0) info('Nothing to cancel.');
    report.sayAll(report.results.map((result) => judge(result, settings.policy, settings)));
  } finally {
    if (!post) writeOutputs(outputsFor(report.results));
    await dispatcher.destroy();
  }
}

/** The job summary and the pull request comment; a failure here only warns. */
async function publish(settings: Settings, report: StepReport, post: boolean): Promise<void> {
  // Guard mode's main step has nothing to show yet: its post step publishes.
  if (settings.guard && !post) return;
  const title = post ? 'Guard: translations left running when the job ended' : 'Cancel Document Translation';
  if (settings.summary) await writeSummary(renderReport(title, report.results, report.notes));
  if (!settings.comment) return;
  try {
    const { updatePullRequestComment, COMMENT_SIZE_BUDGET } = await import('./pr-comment.ts');
    info(
      await updatePullRequestComment(
        settings.githubToken,
        redact(renderReport(title, report.results, report.notes, COMMENT_SIZE_BUDGET)),
      ),
    );
  } catch (error) {
    const status = (error as { status?: number }).status;
    warn(
      `Could not comment on the pull request${status ? ` (HTTP ${status})` : ''}: ${error instanceof Error ? error.message : String(error)}. Grant the job \`permissions: pull-requests: write\`; a pull request from a fork gets a read-only token.`,
    );
  }
}

/** Runs the main step, or (post = true) guard mode's post step. */
export async function run(post = false): Promise<void> {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  if (!post) saveState(State.IsPost, 'true');
  const raw = readInputs();
  const report = new StepReport();
  let settings: Settings | undefined;
  try {
    settings = parseSettings(raw);
    if (settings.guard && !post) recordGuard(settings);
    else await cancel(settings, interrupt.signal, report, post);
  } catch (error) {
    if (error instanceof InputError || error instanceof SignInError) {
      report.say({ action: 'fail', message: error.message });
    } else {
      debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
      report.say({
        action: 'fail',
        message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  } finally {
    if (settings) await publish(settings, report, post);
    else if (raw[Input.Summary].trim().toLowerCase() !== 'false') {
      await writeSummary(renderReport('Cancel Document Translation', [], report.notes));
    }
  }
}
