// Reads and checks every input once, into one Settings object. Nothing here logs or sends.
import * as z from 'zod/mini';
import { Input, type InputName, type RawInputs } from '../common/names.ts';
import { InputError, quote } from '../common/user-errors.ts';
import type { FederatedCredential } from '../service/entra.ts';
import { parseDuration } from './duration.ts';
import {
  cloudOf,
  endpointPathNote,
  type LocatedService,
  parseAllowedHosts,
  parseAuthorityHost,
  resolveServiceBase,
} from './endpoint.ts';
import { isGuid, type JobReference, parseJobReference } from './job-reference.ts';
import { listEntries } from './list-input.ts';
import { type ErrorPolicy, parseErrorPolicy } from './policy.ts';

/** Which batches the inputs name: the ones given, every in-flight one older than staleAfter, or the ledger's. */
type JobSelection =
  | { kind: 'ids'; ids: string[]; located?: LocatedService }
  | { kind: 'stale'; staleAfterMs: number; staleAfter: string }
  | { kind: 'ledger' };

/** The same, with the service they are on: named by the inputs, or, for the ledger without an endpoint, by its entries. */
type ServedJobs =
  | (Exclude<JobSelection, { kind: 'ledger' }> & { serviceBase: string })
  | { kind: 'ledger'; serviceBase: string | undefined };

/** How requests authenticate: exactly one kind per step. */
export type Credential =
  | { kind: 'key'; subscriptionKey: string; region?: string }
  | { kind: 'access-token'; accessToken: string }
  | ({ kind: 'federated' } & FederatedCredential);

/** Where requests go (the service root, without a trailing slash) and how they sign in. */
export interface Service {
  serviceBase: string;
  credential: Credential;
}

/** How a mode that cancels goes about it. */
export interface Cancelling {
  /** Say what would be cancelled, and send no cancel. */
  dryRun: boolean;
  /** Poll each cancelled batch until its status is final. */
  wait: boolean;
  /** The most batches to cancel. */
  maxJobs: number;
}

/** What the step does, decided once from the inputs: each kind carries only what it uses. */
export type Mode =
  | ({ kind: 'cancel-named'; ids: string[] } & Service & Cancelling)
  | ({ kind: 'cancel-stale'; staleAfterMs: number; staleAfter: string } & Service & Cancelling)
  /** The main step records the batches; its post step cancels those still in flight (or, with dryRun, says so). */
  | ({ kind: 'guard'; ids: string[]; dryRun: boolean } & Service)
  /** Records the batches in the pull request's ledger; without a credential, without reading them first. */
  | { kind: 'track'; ids: string[]; serviceBase: string; credential: Credential | undefined }
  /** Without an endpoint, the ledger's batches name the service, once they are read. */
  | ({ kind: 'from-pull-request'; serviceBase: string | undefined; credential: Credential } & Cancelling);

export interface Settings {
  mode: Mode;
  allowedHosts: string[];
  apiVersion: string;
  maxRetries: number;
  timeoutSeconds: number;
  summary: boolean;
  comment: boolean;
  githubToken: string;
  /** The pull-request input; the event's pull request when absent. */
  pullRequest: number | undefined;
  policy: ErrorPolicy;
  /** What reading the inputs found worth saying without failing: a log line, or a warning. */
  remarks: InputRemark[];
}

export interface InputRemark {
  action: 'pass' | 'warn';
  message: string;
}

const MAX_JOBS_LIMIT = 100_000;
const NO_CREDENTIAL =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows workflow syntax, not a template
  'No credential: set subscription-key to the Translator resource key (subscription-key: ${{ secrets.TRANSLATOR_KEY }}), or access-token, or client-id and tenant-id for keyless sign-in.';
// A cleanup stops at most this many unless told otherwise; a pull request's ledger holds only the
// batches that pull request started, so from-pull-request stops them all (up to the limit).
const DEFAULT_MAX_JOBS = 100;

/** A text input, trimmed, that must match `pattern`; `message` says what to fix. */
function textInput(pattern: RegExp, message: string) {
  return z.string().check(z.trim(), z.regex(pattern, message));
}

/** A number input: text that `pattern` admits, read as a number that must pass `inRange`. */
function numberInput(
  pattern: RegExp,
  message: string,
  inRange: (value: number) => boolean,
  rangeMessage: string,
) {
  return z.pipe(textInput(pattern, message), z.transform(Number)).check(z.refine(inRange, rangeMessage));
}

// The YAML 1.2 booleans, as core.getBooleanInput reads them.
function booleanInput(name: InputName) {
  return z.pipe(
    textInput(/^(true|True|TRUE|false|False|FALSE)$/, `${name} must be true or false.`),
    z.transform((text: string) => text.toLowerCase() === 'true'),
  );
}

// A GitHub job runs for at most six hours.
const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;

/** Text checked later by its own parser (job references, URLs, durations, the policy), trimmed. */
const parsedLater = z.string().check(z.trim());
/** A list of entries, one per line or comma, each parsed later. */
const listOfEntries = z.pipe(z.string(), z.transform(listEntries));

// Every input, once: what can be checked by its form is checked here; the rest is trimmed here and
// read by its own parser below, from this schema's output only.
const InputsSchema = z.object({
  [Input.JobId]: listOfEntries,
  [Input.OperationLocation]: listOfEntries,
  [Input.Endpoint]: parsedLater,
  [Input.AllowedHosts]: listOfEntries,
  [Input.SubscriptionKey]: parsedLater,
  [Input.AccessToken]: parsedLater,
  [Input.ClientId]: parsedLater,
  [Input.TenantId]: parsedLater,
  [Input.AuthorityHost]: parsedLater,
  [Input.Region]: textInput(/^[a-z0-9-]*$/i, 'region must be an Azure region name such as westeurope.'),
  [Input.ApiVersion]: textInput(
    /^\d{4}-\d{2}-\d{2}(-preview)?$/,
    'api-version must be YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-05-01.',
  ),
  [Input.MaxRetries]: z.pipe(
    textInput(/^\d{1,2}$/, 'max-retries must be a whole number from 0 to 99.'),
    z.transform(Number),
  ),
  [Input.Timeout]: numberInput(
    /^\d+(\.\d+)?$/,
    'timeout must be a number of seconds, such as 120.',
    (seconds) => seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS,
    `timeout must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds.`,
  ),
  [Input.Wait]: booleanInput(Input.Wait),
  [Input.StaleAfter]: parsedLater,
  [Input.MaxJobs]: z
    .pipe(
      textInput(/^(\d+)?$/, 'max-jobs must be a whole number, such as 100.'),
      z.transform((text: string) => (text ? Number(text) : undefined)),
    )
    .check(
      z.refine(
        (count) => count === undefined || (count >= 1 && count <= MAX_JOBS_LIMIT),
        `max-jobs must be from 1 to ${MAX_JOBS_LIMIT}.`,
      ),
    ),
  [Input.DryRun]: booleanInput(Input.DryRun),
  [Input.Summary]: booleanInput(Input.Summary),
  [Input.Comment]: booleanInput(Input.Comment),
  [Input.GithubToken]: z.string().check(z.trim()),
  [Input.Guard]: booleanInput(Input.Guard),
  [Input.Track]: booleanInput(Input.Track),
  [Input.FromPullRequest]: booleanInput(Input.FromPullRequest),
  [Input.PullRequest]: z.pipe(
    textInput(/^(\d{1,9})?$/, 'pull-request must be the number of a pull request, such as 42.'),
    z.transform((text: string) => (text ? Number(text) : undefined)),
  ),
  [Input.ErrorPolicy]: z.string(),
});
type Inputs = z.infer<typeof InputsSchema>;

interface GivenJob extends JobReference {
  inputName: InputName;
}

/** Every job named by job-id and operation-location, each once, in the order given. */
function givenJobs(inputs: Inputs): GivenJob[] {
  const jobs = new Map<string, GivenJob>();
  for (const inputName of [Input.JobId, Input.OperationLocation] as const) {
    for (const entry of inputs[inputName]) {
      const job = { ...parseJobReference(entry, inputName), inputName };
      const known = jobs.get(job.id);
      if (!known || (!known.serviceUrl && job.serviceUrl)) jobs.set(job.id, job);
    }
  }
  return [...jobs.values()];
}

/** The one service all Operation-Locations point at, if any do: one step works on one resource. */
function locatedService(jobs: readonly GivenJob[]): LocatedService | undefined {
  const located = jobs.filter((job) => job.serviceUrl);
  const [first] = located;
  if (!first?.serviceUrl) return undefined;
  const other = located.find((job) => job.serviceUrl?.href !== first.serviceUrl?.href);
  if (other) {
    throw new InputError(
      `The jobs are on different resources (${first.serviceUrl.host} and ${other.serviceUrl?.host}): one step cancels batches of one resource.`,
    );
  }
  return { serviceUrl: first.serviceUrl, inputName: first.inputName };
}

function selectJobs(inputs: Inputs): JobSelection {
  const jobs = givenJobs(inputs);
  const staleAfter = inputs[Input.StaleAfter];
  if (inputs[Input.FromPullRequest]) {
    if (jobs.length > 0 || staleAfter) {
      throw new InputError(
        "from-pull-request cancels the batches in the pull request's ledger: leave job-id, operation-location and stale-after empty.",
      );
    }
    return { kind: 'ledger' };
  }
  if (jobs.length > 0 && staleAfter) {
    throw new InputError('Give either job ids (job-id, operation-location) or stale-after, not both.');
  }
  if (staleAfter)
    return { kind: 'stale', staleAfterMs: parseDuration(staleAfter, Input.StaleAfter), staleAfter };
  if (jobs.length === 0) {
    throw new InputError(
      'No job given: set job-id to the batch id, or operation-location to the Operation-Location URL of the request that started it, or stale-after to cancel every batch older than that.',
    );
  }
  return { kind: 'ids', ids: jobs.map((job) => job.id), located: locatedService(jobs) };
}

/** A secret as a header carries it: the message must never echo it. */
function checkSecret(value: string, inputName: string): string {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(`${inputName} has spaces or characters it never has: check the secret.`);
  }
  return value;
}

function selectCredential(
  inputs: Inputs,
  serviceBase: string | undefined,
  allowedHosts: readonly string[],
): Credential | undefined {
  const key = inputs[Input.SubscriptionKey];
  const accessToken = inputs[Input.AccessToken];
  const clientId = inputs[Input.ClientId];
  const tenantId = inputs[Input.TenantId];
  const region = inputs[Input.Region];
  const given = [
    key && 'subscription-key',
    accessToken && 'access-token',
    (clientId || tenantId) && 'client-id',
  ];
  const kinds = given.filter(Boolean);
  // Whether the mode needs one is the mode's to say.
  if (kinds.length === 0) return undefined;
  if (kinds.length > 1) {
    throw new InputError(`Give one credential, not several: ${kinds.join(' and ')} are both set.`);
  }
  if (key)
    return {
      kind: 'key',
      subscriptionKey: checkSecret(key, Input.SubscriptionKey),
      region: region || undefined,
    };
  if (accessToken) return { kind: 'access-token', accessToken: checkSecret(accessToken, Input.AccessToken) };
  if (!clientId || !tenantId) {
    throw new InputError(
      clientId
        ? 'client-id is set but tenant-id is not: set tenant-id to the Microsoft Entra tenant (directory) id.'
        : 'tenant-id is set but client-id is not: set client-id to the application (client) id to sign in as.',
    );
  }
  if (!isGuid(clientId)) {
    throw new InputError(`client-id ${quote(clientId)} is not an application (client) id: expected a GUID.`);
  }
  if (!isGuid(tenantId) && !/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i.test(tenantId)) {
    throw new InputError(`tenant-id ${quote(tenantId)} is neither a tenant id (a GUID) nor a domain name.`);
  }
  // The token's scope follows the endpoint's cloud, and so does the authority unless one is given.
  if (!serviceBase) {
    throw new InputError(
      "Keyless sign-in with from-pull-request needs endpoint: the endpoint's cloud decides what the token is for.",
    );
  }
  const cloud = cloudOf(serviceBase);
  const authorityInput = inputs[Input.AuthorityHost];
  return {
    kind: 'federated',
    clientId,
    tenantId,
    cloud: cloud.name,
    scope: cloud.scope,
    authorityHost: authorityInput ? parseAuthorityHost(authorityInput, allowedHosts) : cloud.authorityHost,
    authorityGiven: authorityInput !== '',
  };
}

/** Whether to write the job summary, read on its own: the summary reports even inputs that fail to parse. */
export function summaryWanted(raw: RawInputs): boolean {
  const summary = InputsSchema.shape[Input.Summary].safeParse(raw[Input.Summary]);
  return summary.success ? summary.data : true;
}

/** The step's modes that do not go together, each with what it is for. */
function checkModes(inputs: Inputs, jobs: JobSelection): void {
  const guard = inputs[Input.Guard];
  const track = inputs[Input.Track];
  if (guard && jobs.kind !== 'ids') {
    throw new InputError(
      'guard watches the batches given in job-id or operation-location; it does not go with stale-after or from-pull-request.',
    );
  }
  if (track && (jobs.kind !== 'ids' || guard || inputs[Input.DryRun])) {
    throw new InputError(
      'track records the batches given in job-id or operation-location and cancels nothing; it does not go with stale-after, from-pull-request, guard or dry-run.',
    );
  }
  const needsToken = inputs[Input.Comment] || track || jobs.kind === 'ledger';
  if (needsToken && !inputs[Input.GithubToken]) {
    throw new InputError(
      "The pull request's comment needs github-token (by default the workflow token, github.token).",
    );
  }
}

/**
 * The mode the inputs ask for (checkModes has refused the combinations that make no sense): only
 * track goes without a credential, recording without reading.
 */
function modeOf(inputs: Inputs, jobs: ServedJobs, credential: Credential | undefined): Mode {
  const cancelling: Cancelling = {
    dryRun: inputs[Input.DryRun],
    wait: inputs[Input.Wait],
    maxJobs: inputs[Input.MaxJobs] ?? (jobs.kind === 'ledger' ? MAX_JOBS_LIMIT : DEFAULT_MAX_JOBS),
  };
  if (jobs.kind === 'ledger') {
    if (!credential) throw new InputError(NO_CREDENTIAL);
    return { kind: 'from-pull-request', serviceBase: jobs.serviceBase, credential, ...cancelling };
  }
  const { serviceBase } = jobs;
  if (jobs.kind === 'ids' && inputs[Input.Track]) {
    return { kind: 'track', ids: jobs.ids, serviceBase, credential };
  }
  if (!credential) throw new InputError(NO_CREDENTIAL);
  const service = { serviceBase, credential };
  if (jobs.kind === 'stale') {
    const { staleAfterMs, staleAfter } = jobs;
    return { kind: 'cancel-stale', staleAfterMs, staleAfter, ...service, ...cancelling };
  }
  if (inputs[Input.Guard]) return { kind: 'guard', ids: jobs.ids, dryRun: cancelling.dryRun, ...service };
  return { kind: 'cancel-named', ids: jobs.ids, ...service, ...cancelling };
}

export function parseSettings(raw: RawInputs): Settings {
  const checked = InputsSchema.safeParse(raw);
  if (!checked.success) throw new InputError(checked.error.issues[0]?.message ?? 'The inputs are not valid.');
  const inputs = checked.data;
  const jobs = selectJobs(inputs);
  checkModes(inputs, jobs);
  const allowedHosts = parseAllowedHosts(inputs[Input.AllowedHosts]);
  const endpoint = inputs[Input.Endpoint];
  const served: ServedJobs =
    jobs.kind === 'ledger'
      ? // From the ledger without an endpoint, the batches' own host decides, once they are read.
        {
          kind: 'ledger',
          serviceBase: endpoint ? resolveServiceBase(endpoint, undefined, allowedHosts) : undefined,
        }
      : {
          ...jobs,
          serviceBase: resolveServiceBase(
            endpoint,
            jobs.kind === 'ids' ? jobs.located : undefined,
            allowedHosts,
          ),
        };
  const { serviceBase } = served;
  const remarks: InputRemark[] = [];
  const endpointNote = endpointPathNote(inputs[Input.Endpoint], serviceBase);
  if (endpointNote) remarks.push({ action: 'pass', message: endpointNote });
  const policy = parseErrorPolicy(inputs[Input.ErrorPolicy], (message) =>
    remarks.push({ action: 'warn', message }),
  );
  const credential = selectCredential(inputs, serviceBase, allowedHosts);
  return {
    mode: modeOf(inputs, served, credential),
    allowedHosts,
    apiVersion: inputs[Input.ApiVersion],
    maxRetries: inputs[Input.MaxRetries],
    timeoutSeconds: inputs[Input.Timeout],
    summary: inputs[Input.Summary],
    comment: inputs[Input.Comment],
    githubToken: inputs[Input.GithubToken],
    pullRequest: inputs[Input.PullRequest],
    policy,
    remarks,
  };
}
