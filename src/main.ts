// One run, top to bottom: read inputs → resolve the jobs → send the cancels → interpret the answers
// → apply the policy → write outputs.
import { type Dispatcher, EnvHttpProxyAgent } from 'undici';
import { cancelJob, type JobResult, previewCancel } from './cancel-job.ts';
import { mapConcurrently } from './concurrency.ts';
import { findStaleBatches } from './discover.ts';
import { type Credential, parseSettings, type Settings } from './inputs.ts';
import { outputsFor } from './outputs.ts';
import {
  debug,
  endGroup,
  fail,
  info,
  maskSecret,
  onRunnerCancel,
  readInputs,
  requestOidcToken,
  startGroup,
  warn,
  writeOutputs,
} from './runner.ts';
import { Throttle } from './throttle.ts';
import { Deadline } from './timing.ts';
import { type RequestLimits, TranslatorClient } from './translator-client.ts';
import { InputError, SignInError } from './user-errors.ts';
import { judge, type Verdict } from './verdict.ts';
import type { TranslationStatus } from './wire.ts';

const USER_AGENT = 'cancel-document-translation/1';
// Requests in flight at once when cancelling many batches; the throttle slows them when told to.
const CONCURRENCY = 16;

interface Target {
  id: string;
  /** The status the list gave, when the batch was found by stale-after. */
  listed?: TranslationStatus;
}

function reportOne(verdict: Verdict): void {
  switch (verdict.action) {
    case 'pass':
    case 'ignore':
      info(verdict.message);
      return;
    case 'warn':
      warn(verdict.message);
      return;
    case 'fail':
      fail(verdict.message);
      return;
  }
}

/** One log line per batch, in a group; one annotation for the warnings and one for the failures. */
function reportMany(verdicts: readonly Verdict[]): void {
  startGroup(`${verdicts.length} batches`);
  for (const verdict of verdicts) info(verdict.message);
  endGroup();
  for (const action of ['warn', 'fail'] as const) {
    const matching = verdicts.filter((verdict) => verdict.action === action);
    const [first] = matching;
    if (!first) continue;
    const more = matching.length > 1 ? ` (${matching.length - 1} more in the log)` : '';
    reportOne({
      action,
      message: `${matching.length} of ${verdicts.length} batches: ${first.message}${more}`,
    });
  }
}

/** The batches this run acts on, or undefined after reporting why there are none to act on. */
async function selectTargets(client: TranslatorClient, settings: Settings): Promise<Target[] | undefined> {
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
      fail(
        `Could not list the batches at ${settings.serviceBase}: ${found.error.code}: ${found.error.message}`,
      );
      return undefined;
    }
    info(`Found ${found.batches.length} stale batches in ${found.pages} pages.`);
    targets = found.batches.map((listed) => ({ id: listed.id, listed }));
  }
  if (targets.length > maxJobs) {
    warn(
      `${targets.length} batches to cancel, more than max-jobs (${maxJobs}): cancelling the first ${maxJobs}${jobs.kind === 'stale' ? ', the oldest' : ''}; ${targets.length - maxJobs} remain.`,
    );
    targets = targets.slice(0, maxJobs);
  }
  return targets;
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
      info(
        `Signing in as client-id ${credential.clientId} in tenant ${credential.tenantId} with the workflow's OIDC token.`,
      );
      const { exchangeOidcToken, OIDC_AUDIENCE } = await import('./entra.ts');
      const oidcToken = await requestOidcToken(OIDC_AUDIENCE);
      const accessToken = await exchangeOidcToken(credential, oidcToken, dispatcher, USER_AGENT);
      maskSecret(accessToken);
      return { authorization: `Bearer ${accessToken}` };
    }
  }
}

async function cancel(settings: Settings, interrupt: AbortSignal): Promise<void> {
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    throttle: new Throttle(),
    log: info,
  };
  // HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) apply to every request, to Azure and to Entra.
  const dispatcher = new EnvHttpProxyAgent({ connect: { timeout: 10_000 } });
  let results: JobResult[] = [];
  try {
    const authHeaders = await authorization(settings.credential, dispatcher);
    const client = new TranslatorClient(
      { ...settings, authHeaders, userAgent: USER_AGENT },
      limits,
      dispatcher,
    );
    const targets = await selectTargets(client, settings);
    if (!targets) return;
    const what = targets.length === 1 ? `batch ${targets[0]?.id}` : `${targets.length} batches`;
    info(
      `${settings.dryRun ? 'Dry run: checking' : 'Cancelling'} ${what} at ${settings.serviceBase} (api-version ${settings.apiVersion}).`,
    );
    results = await mapConcurrently(targets, CONCURRENCY, (target) =>
      settings.dryRun
        ? previewCancel(client, limits, target.id, target.listed)
        : cancelJob(client, limits, target.id, settings.wait),
    );
    const verdicts = results.map((result) => judge(result, settings.policy, settings));
    if (verdicts.length === 1 && verdicts[0]) reportOne(verdicts[0]);
    else if (verdicts.length > 1) reportMany(verdicts);
    else info('Nothing to cancel.');
  } finally {
    writeOutputs(outputsFor(results));
    await dispatcher.destroy();
  }
}

export async function run(): Promise<void> {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  try {
    await cancel(parseSettings(readInputs()), interrupt.signal);
  } catch (error) {
    if (error instanceof InputError || error instanceof SignInError) {
      fail(error.message);
      return;
    }
    debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
