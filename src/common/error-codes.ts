// Every error code the step reports, each once: the seven the service documents and the action's
// own, with the few words the job summary leads with and what to check first. The error-code
// output is always one of these; error-policy keys name them.

/**
 * The codes the action names errors with when the service named none: no answer at all, an answer
 * that is not what the service sends, or a batch this step will not send the credential for.
 */
export const ErrorCode = {
  /** No HTTP answer: refused, reset, timed out. */
  NetworkError: 'NetworkError',
  /** The runner's proxy refused the request or could not be reached: no request reached the host. */
  ProxyError: 'ProxyError',
  /** The runner cancelled the step before the answer came. */
  Interrupted: 'Interrupted',
  /** An answer that is not what the service sends. */
  UnexpectedResponse: 'UnexpectedResponse',
  /** A status value this action does not know: the service may have added one. */
  UnexpectedStatus: 'UnexpectedStatus',
  /** The list's next-page link leads to another host, where the credential must not go. */
  ForeignPageLink: 'ForeignPageLink',
  /** A batch recorded in the ledger on another resource than the step's endpoint: not sent the credential. */
  OtherEndpoint: 'OtherEndpoint',
  /** track could not write the pull request's ledger: the batch is not recorded. */
  NotRecorded: 'NotRecorded',
  /** An input is wrong: the step stopped before any request. */
  InvalidInput: 'InvalidInput',
  /** Keyless sign-in failed: no request reached the service. */
  SignInFailed: 'SignInFailed',
} as const;

/** Why the action does not follow a link or a redirect, or skip a batch, elsewhere. */
export const CREDENTIAL_STAYS = 'so that the credential stays with the endpoint';

const SERVICE_SIDE = 'The fault is on the service side: run the step again later.';
const REFUSED = 'Check the job id and api-version.';

interface CodeEntry {
  /** Whether the service documents it: an answer naming any other code is read by its HTTP status. */
  documented: boolean;
  /** What went wrong in a few words, as the job summary's notes lead with it. */
  cause: string;
  /** What to check first, for the resource at `serviceBase`; without one, the endpoint. */
  advice?: (serviceBase: string) => string;
}

const ERROR_CODES: Record<string, CodeEntry> = {
  Unauthorized: {
    documented: true,
    cause: 'Wrong key or endpoint',
    advice: (serviceBase) =>
      `Check that subscription-key is a key of the Translator resource at ${serviceBase} (and region, for a regional key), or, with a token, that its identity has the Cognitive Services User role on that resource.`,
  },
  ResourceNotFound: {
    documented: true,
    cause: 'Not found',
    advice: (serviceBase) =>
      `Check the job id, and that ${serviceBase} is the resource that started the batch.`,
  },
  RequestRateTooHigh: {
    documented: true,
    cause: 'Throttled',
    advice: () => 'The service is throttling requests: run the step again later.',
  },
  InternalServerError: { documented: true, cause: 'Service error', advice: () => SERVICE_SIDE },
  ServiceUnavailable: { documented: true, cause: 'Service unavailable', advice: () => SERVICE_SIDE },
  InvalidRequest: { documented: true, cause: 'Refused', advice: () => REFUSED },
  InvalidArgument: { documented: true, cause: 'Refused', advice: () => REFUSED },
  [ErrorCode.NetworkError]: {
    documented: false,
    cause: 'No answer',
    advice: (serviceBase) => `Check the endpoint (${serviceBase}) and the runner's network.`,
  },
  [ErrorCode.ProxyError]: {
    documented: false,
    cause: 'Proxy refused',
    advice: () =>
      "Check the runner's proxy settings (HTTPS_PROXY, HTTP_PROXY and NO_PROXY, and the user name and password in the proxy's URL), and that the proxy lets the runner reach the endpoint.",
  },
  [ErrorCode.Interrupted]: {
    documented: false,
    cause: 'Stopped by the runner',
    advice: () =>
      'The runner cancelled the step (a person, a newer run that cancels this one, or a time limit): run the step again for a batch that should still be cancelled.',
  },
  [ErrorCode.UnexpectedResponse]: { documented: false, cause: 'Unexpected answer' },
  [ErrorCode.UnexpectedStatus]: { documented: false, cause: 'Unknown status' },
  [ErrorCode.ForeignPageLink]: { documented: false, cause: 'Page link to another host' },
  [ErrorCode.OtherEndpoint]: { documented: false, cause: 'On another resource' },
  [ErrorCode.NotRecorded]: { documented: false, cause: "Not recorded in the pull request's ledger" },
  [ErrorCode.InvalidInput]: { documented: false, cause: 'Invalid input' },
  [ErrorCode.SignInFailed]: { documented: false, cause: 'Sign-in failed' },
};

/** The codes the service documents (2024-05-01). */
export const DOCUMENTED_ERROR_CODES: readonly string[] = Object.entries(ERROR_CODES)
  .filter(([, entry]) => entry.documented)
  .map(([code]) => code);

/** Every code the step may report. */
export const ALL_ERROR_CODES: readonly string[] = Object.keys(ERROR_CODES);

/** What went wrong in a few words; a code new to the action is its own name. */
export function causeOfCode(code: string): string {
  return ERROR_CODES[code]?.cause ?? code;
}

/** What to check first about an error with `code` from the resource at `serviceBase`. */
export function adviceForCode(code: string, serviceBase: string): string {
  return ERROR_CODES[code]?.advice?.(serviceBase) ?? `Check the endpoint (${serviceBase}).`;
}
