// The step's time and a request's retries: one deadline for every request, retry and wait; sleeps
// that end early when the runner cancels the step; and when and how long to wait before trying a
// request again, as the Azure SDKs do (transient statuses and network failures, exponential backoff
// with jitter, Retry-After honoured).

/** Why retrying stopped while the last attempt was still a transient failure. */
type RetryStopReason = 'timeout' | 'interrupt' | 'retries';

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
const BASE_DELAY_MS = 800;
const MAX_DELAY_MS = 30_000;
// Longer than the service takes to answer a cancel, short enough to retry a dead connection in time.
const REQUEST_TIMEOUT_MS = 30_000;
// How long a request already in flight may finish after the runner's cancel signal.
const INTERRUPT_GRACE_MS = 1_000;

/** The step's timeout, as every message names it. */
export function describeTimeout(seconds: number): string {
  return `the step's timeout (${seconds} s)`;
}

class Deadline {
  readonly seconds: number;
  readonly #endsAt: number;

  constructor(seconds: number, now = Date.now()) {
    this.seconds = seconds;
    this.#endsAt = now + seconds * 1000;
  }

  remainingMs(): number {
    return Math.max(0, this.#endsAt - Date.now());
  }

  describe(): string {
    return describeTimeout(this.seconds);
  }
}

/** Waits `ms`; resolves false at once when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** What bounds every request and wait of the step. */
export interface RequestLimits {
  maxRetries: number;
  deadline: Deadline;
  /** Aborts when the runner cancels the step. */
  interrupt: AbortSignal;
  /** Aborts a little after `interrupt`: a request in flight then may finish, but not take its time. */
  hardStop: AbortSignal;
  log: (line: string) => void;
}

/** The limits of a step of `timeoutSeconds` that `interrupt` stops; `log` says each retry. */
export function requestLimits(
  { maxRetries, timeoutSeconds }: { maxRetries: number; timeoutSeconds: number },
  interrupt: AbortSignal,
  log: (line: string) => void,
): RequestLimits {
  const hardStop = new AbortController();
  interrupt.addEventListener('abort', () => setTimeout(() => hardStop.abort(), INTERRUPT_GRACE_MS).unref(), {
    once: true,
  });
  return { maxRetries, deadline: new Deadline(timeoutSeconds), interrupt, hardStop: hardStop.signal, log };
}

/** One attempt's own limits: its time (never past the step's), and the hard stop. */
export function attemptLimits(limits: RequestLimits): { timeoutMs: number; stop: AbortSignal } {
  return { timeoutMs: Math.min(REQUEST_TIMEOUT_MS, limits.deadline.remainingMs()), stop: limits.hardStop };
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** The wait before retry number `retry` (1 for the first): doubling from BASE_DELAY_MS, jittered ±20 %, at most MAX_DELAY_MS. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const jittered = BASE_DELAY_MS * 2 ** (retry - 1) * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_DELAY_MS, jittered));
}

/** What one attempt came to, as retrying weighs it (http.ts's Attempt is one). */
type Tried =
  | { answer: { status: number; retryAfterMs?: number; requestId?: string } }
  | { failure: { text: string; retryable: boolean } };

/** An attempt in a log line: its HTTP status and request id, or why there was no answer. */
export function describeAttempt(attempt: Tried): string {
  if ('failure' in attempt) return attempt.failure.text;
  const { status, requestId } = attempt.answer;
  return `HTTP ${status}${requestId ? ` (request id ${requestId})` : ''}`;
}

/** Where requests wait their turn, slowing down when the service throttles (translator-client.ts). */
export interface Pace {
  turn(signal: AbortSignal, remainingMs: number): Promise<'go' | 'timeout' | 'interrupt'>;
  answered(status: number, retryAfterMs: number): void;
}

/** How retrying ended: the last attempt (none when none was made), and why it stopped early, if it did. */
export interface Retried<A> {
  last?: A;
  attempts: number;
  /** Set when the last attempt was a transient failure not tried again. */
  stoppedBy?: RetryStopReason;
}

/**
 * Makes `attempt` until it is not a transient failure, or the retries, the step's time or the
 * runner's patience run out; each retry is logged as `what`'s. With `pace`, each attempt waits its turn.
 */
export async function retrying<A extends Tried>(
  what: string,
  limits: RequestLimits,
  attempt: () => Promise<A>,
  pace?: Pace,
): Promise<Retried<A>> {
  const { maxRetries, deadline, interrupt, log } = limits;
  let last: A | undefined;
  for (let attempts = 1; ; attempts++) {
    const turn = pace ? await pace.turn(interrupt, deadline.remainingMs()) : 'go';
    if (turn !== 'go') return { last, attempts: attempts - 1, stoppedBy: turn };
    if (deadline.remainingMs() <= 0) return { last, attempts: attempts - 1, stoppedBy: 'timeout' };
    last = await attempt();
    const answer = 'answer' in last ? last.answer : undefined;
    const fallback = backoffMs(attempts);
    if (answer) pace?.answered(answer.status, answer.retryAfterMs ?? fallback);
    const retryable = answer ? isRetryableStatus(answer.status) : 'failure' in last && last.failure.retryable;
    if (!retryable) return { last, attempts };
    const wait = answer?.retryAfterMs ?? fallback;
    if (interrupt.aborted) return { last, attempts, stoppedBy: 'interrupt' };
    if (attempts > maxRetries) return { last, attempts, stoppedBy: 'retries' };
    if (wait >= deadline.remainingMs()) return { last, attempts, stoppedBy: 'timeout' };
    log(
      `${what}: ${describeAttempt(last)}; retrying in ${formatSeconds(wait)} (attempt ${attempts + 1} of ${maxRetries + 1}).`,
    );
    if (!(await sleep(wait, interrupt))) return { last, attempts, stoppedBy: 'interrupt' };
  }
}
