/** A problem with the step's inputs: reported as one line that says what to fix, before any request. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Quotes a user's value in a message, cut short so that one bad input cannot flood the log. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
