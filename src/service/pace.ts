// The pace of a whole step's requests to the service, shared by every request in flight. When the
// service answers 429, everyone pauses for its Retry-After and the pace between request starts
// doubles; each success eases it off again. So many parallel cancels slow down together instead of
// hammering.
import { isRetryableStatus, type Pace, sleep } from './retry.ts';

const MIN_INTERVAL_MS = 20;
const MAX_INTERVAL_MS = 2_000;
const EASE_PER_SUCCESS = 0.99;

export class Throttle implements Pace {
  #pausedUntil = 0;
  #nextStart = 0;
  #intervalMs = 0;

  /** Waits for the next request's turn, unless that would take longer than `remainingMs`. */
  async turn(signal: AbortSignal, remainingMs: number): Promise<'go' | 'timeout' | 'interrupt'> {
    const now = Date.now();
    const start = Math.max(now, this.#pausedUntil, this.#nextStart);
    if (start - now >= remainingMs) return 'timeout';
    this.#nextStart = start + this.#intervalMs;
    if (start > now && !(await sleep(start - now, signal))) return 'interrupt';
    return signal.aborted ? 'interrupt' : 'go';
  }

  answered(status: number, retryAfterMs: number): void {
    if (status === 429) this.#throttled(retryAfterMs);
    else if (!isRetryableStatus(status)) this.#succeeded();
  }

  #throttled(retryAfterMs: number): void {
    const now = Date.now();
    // The requests of one burst are refused together: slow down once for all of them.
    if (now >= this.#pausedUntil) {
      this.#intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, this.#intervalMs * 2));
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
  }

  #succeeded(): void {
    this.#intervalMs =
      this.#intervalMs * EASE_PER_SUCCESS < MIN_INTERVAL_MS / 2 ? 0 : this.#intervalMs * EASE_PER_SUCCESS;
  }
}
