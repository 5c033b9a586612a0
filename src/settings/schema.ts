// Every input, once, checked by its form (zod): what can be checked by its form is checked here; the
// rest is trimmed here and read by its own parser in inputs.ts, from this schema's output only.
import * as z from 'zod/mini';
import { Input, type InputName } from '../common/names.ts';
import { listEntries } from './list-input.ts';

export const MAX_JOBS_LIMIT = 100_000;
// action.yml's default for api-version (a test keeps the two the same): an Operation-Location's own
// api-version is used instead while the input is left at it.
export const DEFAULT_API_VERSION = '2024-05-01';
// A cleanup stops at most this many unless told otherwise; a pull request's ledger holds only the
// batches that pull request started, so from-pull-request stops them all (up to the limit).
export const DEFAULT_MAX_JOBS = 100;

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

export const InputsSchema = z.object({
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
export type Inputs = z.infer<typeof InputsSchema>;
