// The types the step's folders share, in one place: what the settings say the step is (its mode,
// the service and the credential), the error policy, and what the step says and does of a result
// (its words and verdict). settings/ makes them; the modes, the service and the report read them.
// This module imports nothing of the action's.

/** Keyless sign-in: who signs in, and for which cloud's scope at which authority. */
export interface FederatedCredential {
  clientId: string;
  tenantId: string;
  /** The Azure cloud of the endpoint, which decides the scope (and the authority, unless given). */
  cloud: string;
  scope: string;
  authorityHost: string;
  /** Whether authority-host was given, rather than taken from the cloud. */
  authorityGiven: boolean;
}

/** How requests authenticate: exactly one kind per step. */
export type Credential =
  | { kind: 'key'; subscriptionKey: string; region?: string }
  | { kind: 'access-token'; accessToken: string }
  | ({ kind: 'federated' } & FederatedCredential);

/** A proxy the runner names. */
export interface ProxyServer {
  /** Its URL, credentials included (they go in Proxy-Authorization; never printed). */
  url: URL;
  /** The proxy as messages name it: the variable, and the URL without its credentials. */
  shown: string;
}

/** A NO_PROXY entry: a host with its subdomains, only its subdomains (`*.example.com`), or every host (`*`). */
export interface ProxyExemption {
  host: string;
  subdomainsOnly: boolean;
  /** 0: any port. */
  port: number;
}

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY, read. */
export interface Proxies {
  https?: ProxyServer;
  http?: ProxyServer;
  exempt: ProxyExemption[];
}

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
  /**
   * Without an endpoint or a credential, a ledger with nothing to stop still passes (a fork's pull
   * request gets no secrets); with batches to stop, the step needs both.
   */
  | ({
      kind: 'from-pull-request';
      serviceBase: string | undefined;
      credential: Credential | undefined;
    } & Cancelling);

export interface Settings {
  mode: Mode;
  /** The runner's proxies, read from its environment (settings/proxy.ts). */
  proxies: Proxies;
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

/** A remark on the inputs, said when the step starts. */
export interface InputRemark {
  action: 'pass' | 'warn';
  message: string;
}

/** What the step can do for a key of the error policy. */
export const POLICY_ACTIONS = ['fail', 'warn', 'ignore'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** The user's `error-policy`: lower-cased key to action. */
export type ErrorPolicy = ReadonlyMap<string, PolicyAction>;

/** What the step says of one batch. */
export interface Words {
  /** The log line and annotation: everything in one sentence or three. */
  message: string;
  /** For the summary and the comment, when something needs a look: the cause in a few words… */
  cause?: string;
  /** …what to do first… */
  advice?: string;
  /** …and the service's own words and the request id, for support. */
  details?: string;
}

type VerdictAction = 'pass' | PolicyAction;

export interface Verdict extends Words {
  action: VerdictAction;
}

/** A warning or failure about the step as a whole, as the step reported it. */
export interface Note {
  level: 'warn' | 'fail';
  message: string;
}
