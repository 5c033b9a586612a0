// Reads and checks every input once, into one Settings object. Nothing here logs or sends.

import type { Credential } from '../common/credential.ts';
import { Input, type RawInputs } from '../common/names.ts';
import { InputError } from '../common/user-errors.ts';
import { type BatchReference, parseBatchReference } from './batch-reference.ts';
import { NO_CREDENTIAL, selectCredential } from './credential.ts';
import { parseDuration } from './duration.ts';
import {
  endpointBatch,
  endpointPathNote,
  type LocatedService,
  parseAllowedHosts,
  resolveServiceBase,
} from './endpoint.ts';
import { parseErrorPolicy } from './policy.ts';
import { parseProxies } from './proxy.ts';
import {
  DEFAULT_API_VERSION,
  DEFAULT_MAX_JOBS,
  type Inputs,
  InputsSchema,
  MAX_JOBS_LIMIT,
} from './schema.ts';
import type { Cancelling, InputRemark, Mode, Settings } from './settings.ts';

/**
 * Which batches the inputs name (the ones given, every in-flight one older than staleAfter, or the
 * ledger's) and the service they are on: named by the inputs, or, for the ledger without an
 * endpoint, by its entries once they are read.
 */
type BatchSelection =
  | { kind: 'ids'; ids: string[]; apiVersions: string[]; serviceBase: string }
  | { kind: 'stale'; staleAfterMs: number; staleAfter: string; serviceBase: string }
  | { kind: 'ledger'; serviceBase: string | undefined };

/** Every batch named by job-id and operation-location, each once, in the order given. */
function givenBatches(inputs: Inputs): BatchReference[] {
  const batches = new Map<string, BatchReference>();
  for (const inputName of [Input.JobId, Input.OperationLocation] as const) {
    for (const entry of inputs[inputName]) {
      const batch = parseBatchReference(entry, inputName);
      const known = batches.get(batch.id);
      if (!known || (!known.serviceUrl && batch.serviceUrl)) batches.set(batch.id, batch);
    }
  }
  return [...batches.values()];
}

/** The one service all Operation-Locations point at, if any do: one step works on one resource. */
function locatedService(batches: readonly BatchReference[]): LocatedService | undefined {
  const located = batches.filter((batch) => batch.serviceUrl);
  const [first] = located;
  if (!first?.serviceUrl) return undefined;
  const other = located.find((batch) => batch.serviceUrl?.href !== first.serviceUrl?.href);
  if (other) {
    throw new InputError(
      `The batches are on different resources (${first.serviceUrl.host} and ${other.serviceUrl?.host}): one step cancels batches of one resource.`,
    );
  }
  return { serviceUrl: first.serviceUrl, inputName: first.inputName };
}

/** Which kind of selection the inputs make, refusing the ones that do not go together. */
function selectionKind(inputs: Inputs, given: readonly BatchReference[]): BatchSelection['kind'] {
  const staleAfter = inputs[Input.StaleAfter];
  if (inputs[Input.FromPullRequest]) {
    if (given.length > 0 || staleAfter) {
      throw new InputError(
        "from-pull-request cancels the batches in the pull request's ledger: leave job-id, operation-location and stale-after empty.",
      );
    }
    return 'ledger';
  }
  if (given.length > 0 && staleAfter) {
    throw new InputError('Give either job ids (job-id, operation-location) or stale-after, not both.');
  }
  if (staleAfter) return 'stale';
  if (given.length === 0) {
    throw new InputError(
      'No batch given: set job-id to the batch id, or operation-location to the Operation-Location URL of the request that started it, or stale-after to cancel every batch older than that.',
    );
  }
  return 'ids';
}

function selectBatches(inputs: Inputs, allowedHosts: readonly string[]): BatchSelection {
  const given = givenBatches(inputs);
  const kind = selectionKind(inputs, given);
  checkModes(inputs, kind);
  const endpoint = inputs[Input.Endpoint];
  const ids = given.map((batch) => batch.id);
  checkEndpointBatch(endpoint, ids);
  switch (kind) {
    case 'ledger': {
      const serviceBase = endpoint ? resolveServiceBase(endpoint, undefined, allowedHosts) : undefined;
      return { kind, serviceBase };
    }
    case 'stale': {
      const staleAfter = inputs[Input.StaleAfter];
      const staleAfterMs = parseDuration(staleAfter, Input.StaleAfter);
      return {
        kind,
        staleAfterMs,
        staleAfter,
        serviceBase: resolveServiceBase(endpoint, undefined, allowedHosts),
      };
    }
    case 'ids': {
      const apiVersions = new Set(given.flatMap((batch) => (batch.apiVersion ? [batch.apiVersion] : [])));
      const serviceBase = resolveServiceBase(endpoint, locatedService(given), allowedHosts);
      return { kind, ids, apiVersions: [...apiVersions], serviceBase };
    }
  }
}

/**
 * The api-version requests use: the input's, unless it is left at its default and the
 * Operation-Locations name one other version, which is then used; the log says which, and why.
 */
function apiVersionOf(inputs: Inputs, batches: BatchSelection, remarks: InputRemark[]): string {
  const input = inputs[Input.ApiVersion];
  const named = batches.kind === 'ids' ? batches.apiVersions : [];
  const [only] = named;
  if (only === undefined || (named.length === 1 && only === input)) return input;
  if (input === DEFAULT_API_VERSION && named.length === 1) {
    remarks.push({
      level: 'info',
      message: `Using api-version ${only}, the one the Operation-Location names (the api-version input is at its default, ${input}).`,
    });
    return only;
  }
  remarks.push({
    level: 'info',
    message: `Using api-version ${input} (the api-version input), though the Operation-Locations name ${named.join(', ')}.`,
  });
  return input;
}

/** An endpoint pasted with a batch's whole path names one of the batches given; else it is refused. */
function checkEndpointBatch(endpoint: string, ids: readonly string[]): void {
  const named = endpointBatch(endpoint);
  if (!named || ids.includes(named)) return;
  throw new InputError(
    `endpoint ends in the path of batch ${named}, which is not a batch this step was given: set endpoint to the resource's root, https://<resource>.cognitiveservices.azure.com, and give the batch in job-id.`,
  );
}

/** Whether to write the job summary, read on its own (not in the settings): the summary reports even inputs that fail to parse. */
export function summaryWanted(raw: RawInputs): boolean {
  const summary = InputsSchema.shape[Input.Summary].safeParse(raw[Input.Summary]);
  return summary.success ? summary.data : true;
}

/** The step's modes that do not go together, each with what it is for. */
function checkModes(inputs: Inputs, kind: BatchSelection['kind']): void {
  const guard = inputs[Input.Guard];
  const track = inputs[Input.Track];
  if (guard && kind !== 'ids') {
    throw new InputError(
      'guard watches the batches given in job-id or operation-location; it does not go with stale-after or from-pull-request.',
    );
  }
  if (track && (kind !== 'ids' || guard || inputs[Input.DryRun])) {
    throw new InputError(
      'track records the batches given in job-id or operation-location and cancels nothing; it does not go with stale-after, from-pull-request, guard or dry-run.',
    );
  }
  const needsToken = inputs[Input.Comment] || track || kind === 'ledger';
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
function modeOf(inputs: Inputs, batches: BatchSelection, credential: Credential | undefined): Mode {
  const cancelling: Cancelling = {
    dryRun: inputs[Input.DryRun],
    wait: inputs[Input.Wait],
    maxJobs: inputs[Input.MaxJobs] ?? (batches.kind === 'ledger' ? MAX_JOBS_LIMIT : DEFAULT_MAX_JOBS),
  };
  if (batches.kind === 'ledger') {
    return { kind: 'from-pull-request', serviceBase: batches.serviceBase, credential, ...cancelling };
  }
  const { serviceBase } = batches;
  if (batches.kind === 'ids' && inputs[Input.Track]) {
    return { kind: 'track', ids: batches.ids, serviceBase, credential };
  }
  if (!credential) throw new InputError(NO_CREDENTIAL);
  const service = { serviceBase, credential };
  if (batches.kind === 'stale') {
    const { staleAfterMs, staleAfter } = batches;
    return { kind: 'cancel-stale', staleAfterMs, staleAfter, ...service, ...cancelling };
  }
  if (inputs[Input.Guard]) return { kind: 'guard', ids: batches.ids, dryRun: cancelling.dryRun, ...service };
  return { kind: 'cancel-named', ids: batches.ids, ...service, ...cancelling };
}

// The longest value a runner can pass as one input (Linux's limit on one environment string, 128 KiB):
// a longer one is refused before any pattern reads it.
const INPUT_LIMIT = 131_072;

export function parseSettings(raw: RawInputs): Settings {
  for (const [name, value] of Object.entries(raw)) {
    if (value.length > INPUT_LIMIT) {
      throw new InputError(
        `${name} is ${value.length} characters long, more than a runner can pass (${INPUT_LIMIT}): check what the workflow gives it.`,
      );
    }
  }
  const checked = InputsSchema.safeParse(raw);
  if (!checked.success) throw new InputError(checked.error.issues[0]?.message ?? 'The inputs are not valid.');
  const inputs = checked.data;
  const allowedHosts = parseAllowedHosts(inputs[Input.AllowedHosts]);
  const batches = selectBatches(inputs, allowedHosts);
  const { serviceBase } = batches;
  const remarks: InputRemark[] = [];
  const endpointNote = endpointPathNote(inputs[Input.Endpoint], serviceBase);
  if (endpointNote) remarks.push({ level: 'info', message: endpointNote });
  const policy = parseErrorPolicy(inputs[Input.ErrorPolicy], (message) =>
    remarks.push({ level: 'warn', message }),
  );
  const credential = selectCredential(inputs, serviceBase, allowedHosts);
  return {
    mode: modeOf(inputs, batches, credential),
    proxies: parseProxies(process.env),
    allowedHosts,
    apiVersion: apiVersionOf(inputs, batches, remarks),
    maxRetries: inputs[Input.MaxRetries],
    timeoutSeconds: inputs[Input.Timeout],
    comment: inputs[Input.Comment],
    githubToken: inputs[Input.GithubToken],
    pullRequest: inputs[Input.PullRequest],
    policy,
    remarks,
  };
}
