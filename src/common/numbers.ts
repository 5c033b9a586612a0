/**
 * A count with thousands separators, `1,234,567`, as the log and the job summary both write counts.
 * Counts are whole numbers (wire.ts checks), so the digits are grouped by hand: the first Intl
 * formatter of a process loads ICU's locale data, about 15 ms of every start.
 */
export function grouped(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** "1 attempt" or "1,234 characters": a count and its noun, with an s for any count but one. */
export function plural(count: number, noun: string): string {
  return `${grouped(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** "1 batch" or "1,234 batches". */
export function batches(count: number): string {
  return `${grouped(count)} batch${count === 1 ? '' : 'es'}`;
}

/** "batch <id>" for one, "<n> batches" for several, as the log names what a step acts on. */
export function describeBatches(ids: readonly string[]): string {
  return ids.length === 1 ? `batch ${ids[0]}` : batches(ids.length);
}
