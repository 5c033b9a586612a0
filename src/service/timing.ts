// The step's time: one deadline for every request, retry and wait, and sleeps that end early when
// the runner cancels the step.

/** The step's timeout, as every message names it. */
export function describeTimeout(seconds: number): string {
  return `the step's timeout (${seconds} s)`;
}

export class Deadline {
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
  log: (line: string) => void;
}
