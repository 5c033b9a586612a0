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

/** Every input as the runner gives it: text, defaults applied. */
export type RawInputs = Record<InputName, string>;

export const Output = {
  JobId: 'job-id',
  Status: 'status',
  CreatedDateTimeUtc: 'created-date-time-utc',
  LastActionDateTimeUtc: 'last-action-date-time-utc',
  Total: 'total',
  Failed: 'failed',
  Success: 'success',
  InProgress: 'in-progress',
  NotYetStarted: 'not-yet-started',
  Cancelled: 'cancelled',
  TotalCharacterCharged: 'total-character-charged',
  TotalImageCharged: 'total-image-charged',
  Outcome: 'outcome',
  ErrorCode: 'error-code',
  ErrorMessage: 'error-message',
  ErrorTarget: 'error-target',
  InnerErrorCode: 'inner-error-code',
  InnerErrorMessage: 'inner-error-message',
  RequestId: 'request-id',
  Results: 'results',
} as const;
export type OutputName = (typeof Output)[keyof typeof Output];

/** Every output, as text. */
export type Outputs = Record<OutputName, string>;
