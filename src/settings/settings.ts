// What the settings say the step is, decided once from the inputs (inputs.ts): its mode, each kind of
// which carries only what it uses, and what bounds and shapes every mode's work. The modes, main and
// the service read them; nothing below settings/ makes them.
import type { Credential, Service } from '../common/credential.ts';
import type { ErrorPolicy } from './policy.ts';
import type { Proxies } from './proxy.ts';

/** How a mode that cancels goes about it. */
export interface Cancelling {
  /** Say what would be cancelled, and send no cancel. */
  dryRun: boolean;
  /** Poll each cancelled batch until its status is final. */
  wait: boolean;
  /** The most batches to cancel. */
  maxJobs: number;
}

/** What the step does: each kind carries only what it uses. */
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

/** A remark on the inputs, said when the step starts: a log line, or a warning. */
export interface InputRemark {
  level: 'info' | 'warn';
  message: string;
}

export interface Settings {
  mode: Mode;
  /** The runner's proxies, read from its environment (proxy.ts). */
  proxies: Proxies;
  allowedHosts: string[];
  apiVersion: string;
  maxRetries: number;
  timeoutSeconds: number;
  comment: boolean;
  githubToken: string;
  /** The pull-request input; the event's pull request when absent. */
  pullRequest: number | undefined;
  policy: ErrorPolicy;
  /** What reading the inputs found worth saying without failing. */
  remarks: InputRemark[];
}
