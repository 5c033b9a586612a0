// Reads and checks every input once, into one Settings object. Nothing here logs or sends.
import { z } from 'zod';
import { resolveServiceBase } from './endpoint.ts';
import { InputError } from './input-error.ts';
import { type JobReference, parseJobReference } from './job-reference.ts';
import { Input, type InputName } from './names.ts';
import { type ErrorPolicy, parseErrorPolicy } from './policy.ts';

export type RawInputs = Record<InputName, string>;

export interface Settings {
  jobId: string;
  /** Where requests go: the service root without a trailing slash. */
  serviceBase: string;
  apiVersion: string;
  subscriptionKey: string;
  region?: string;
  maxRetries: number;
  timeoutSeconds: number;
  wait: boolean;
  policy: ErrorPolicy;
}

// A GitHub job runs for at most six hours.
const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;

const RawInputsSchema = z.object({
  [Input.Endpoint]: z.string().trim(),
  [Input.SubscriptionKey]: z
    .string()
    .trim()
    .min(
      1,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows workflow syntax, not a template
      'No credential: set subscription-key to the Translator resource key, from a secret (subscription-key: ${{ secrets.TRANSLATOR_KEY }}).',
    )
    // A header value cannot hold spaces or line breaks; the message must not echo the key.
    .regex(/^[\x21-\x7e]+$/, 'subscription-key has spaces or characters a key never has: check the secret.'),
  [Input.Region]: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]*$/i, 'region must be an Azure region name such as westeurope.'),
  [Input.ApiVersion]: z
    .string()
    .trim()
    .regex(
      /^\d{4}-\d{2}-\d{2}(-preview)?$/,
      'api-version must be YYYY-MM-DD or YYYY-MM-DD-preview, e.g. 2024-05-01.',
    ),
  [Input.MaxRetries]: z
    .string()
    .trim()
    .regex(/^\d{1,2}$/, 'max-retries must be a whole number from 0 to 99.')
    .transform(Number),
  [Input.Timeout]: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'timeout must be a number of seconds, such as 120.')
    .transform(Number)
    .refine(
      (seconds) => seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS,
      `timeout must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds.`,
    ),
  // The YAML 1.2 booleans, as core.getBooleanInput reads them.
  [Input.Wait]: z
    .string()
    .trim()
    .regex(/^(true|True|TRUE|false|False|FALSE)$/, 'wait must be true or false.')
    .transform((text) => text.toLowerCase() === 'true'),
  [Input.ErrorPolicy]: z.string(),
});

interface GivenJob extends JobReference {
  inputName: InputName;
}

/** The one job named by job-id and/or operation-location. */
function selectJob(jobIdInput: string, operationLocationInput: string): GivenJob {
  const given: GivenJob[] = [];
  if (jobIdInput) given.push({ ...parseJobReference(jobIdInput, Input.JobId), inputName: Input.JobId });
  if (operationLocationInput) {
    given.push({
      ...parseJobReference(operationLocationInput, Input.OperationLocation),
      inputName: Input.OperationLocation,
    });
  }
  const [first, second] = given;
  if (!first) {
    throw new InputError(
      'No job given: set job-id to the batch id, or operation-location to the Operation-Location URL of the request that started it.',
    );
  }
  if (second && second.id !== first.id) {
    throw new InputError(
      `job-id (${first.id}) and operation-location (${second.id}) name different jobs: give one of them.`,
    );
  }
  return given.find((job) => job.serviceUrl) ?? first;
}

export function parseSettings(raw: RawInputs): Settings {
  const job = selectJob(raw[Input.JobId].trim(), raw[Input.OperationLocation].trim());
  const checked = RawInputsSchema.safeParse(raw);
  if (!checked.success) throw new InputError(checked.error.issues[0]?.message ?? 'The inputs are not valid.');
  const inputs = checked.data;
  return {
    jobId: job.id,
    serviceBase: resolveServiceBase(inputs[Input.Endpoint], job, job.inputName),
    apiVersion: inputs[Input.ApiVersion],
    subscriptionKey: inputs[Input.SubscriptionKey],
    region: inputs[Input.Region] || undefined,
    maxRetries: inputs[Input.MaxRetries],
    timeoutSeconds: inputs[Input.Timeout],
    wait: inputs[Input.Wait],
    policy: parseErrorPolicy(inputs[Input.ErrorPolicy]),
  };
}
