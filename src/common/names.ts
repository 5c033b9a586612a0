// The action's interface to the runner: the names of its inputs and outputs, as action.yml declares
// them, and their values as text. test/project/action-yml.test.ts keeps these lists and action.yml
// identical.

export const Input = {
  JobId: 'job-id',
  OperationLocation: 'operation-location',
  Endpoint: 'endpoint',
  AllowedHosts: 'allowed-hosts',
  SubscriptionKey: 'subscription-key',
  AccessToken: 'access-token',
  ClientId: 'client-id',
  TenantId: 'tenant-id',
  AuthorityHost: 'authority-host',
  Region: 'region',
  ApiVersion: 'api-version',
  MaxRetries: 'max-retries',
  Timeout: 'timeout',
  Wait: 'wait',
  StaleAfter: 'stale-after',
  MaxJobs: 'max-jobs',
  DryRun: 'dry-run',
  Summary: 'summary',
  Comment: 'comment',
  GithubToken: 'github-token',
  Guard: 'guard',
  Track: 'track',
  FromPullRequest: 'from-pull-request',
  PullRequest: 'pull-request',
  ErrorPolicy: 'error-policy',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

/**
 * The proxy variables the action reads (each in either case, the lower-case one first), besides
 * NO_PROXY: a password in one is a secret.
 */
export const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY'] as const;

/** Every input as the runner gives it: text, defaults applied. */
export type RawInputs = Record<InputName, string>;

/** Every output's name; the code writes each by name, checked against this list by the type. */
export const OUTPUT_NAMES = [
  'job-id',
  'status',
  'created-date-time-utc',
  'last-action-date-time-utc',
  'total',
  'failed',
  'success',
  'in-progress',
  'not-yet-started',
  'cancelled',
  'total-character-charged',
  'total-image-charged',
  'outcome',
  'error-code',
  'error-message',
  'error-target',
  'inner-error-code',
  'inner-error-message',
  'request-id',
  'results',
] as const;
type OutputName = (typeof OUTPUT_NAMES)[number];

/** Every output, as text. */
export type Outputs = Record<OutputName, string>;
