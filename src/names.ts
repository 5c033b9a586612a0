// The names of the action's inputs and outputs, as action.yml declares them.
// test/action-yml.test.ts keeps these lists and action.yml identical.

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
  ErrorPolicy: 'error-policy',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

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
