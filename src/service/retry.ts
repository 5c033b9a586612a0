// When and how long to wait before trying a request again, as the Azure SDKs do: transient statuses
// and network failures, exponential backoff with jitter, Retry-After honoured.

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
const BASE_DELAY_MS = 800;
const MAX_DELAY_MS = 30_000;

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `retry` (1 for the first): doubling from BASE_DELAY_MS, jittered ±20 %, at most MAX_DELAY_MS. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const jittered = BASE_DELAY_MS * 2 ** (retry - 1) * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_DELAY_MS, jittered));
}
