// Failures the user can fix, each reported as one line that says what to change, never a stack.

/** A problem with the step's inputs, found before any request. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Keyless sign-in failed: the message says why and what to change. */
export class SignInError extends Error {
  override name = 'SignInError';
}

/** Quotes a user's value in a message, cut short so that one bad input cannot flood the log. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown);
}
