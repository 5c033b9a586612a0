// Failures the user can fix, each reported as one line that says what to change, never a stack.

/** A problem with the step's inputs, found before any request. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Keyless sign-in failed, or the runner's cancel stopped it: the message says why and what to change. */
export class SignInError extends Error {
  override name = 'SignInError';
  /** The runner cancelled the step during the sign-in: the step reports Interrupted, as for a request. */
  readonly interrupted: boolean;

  constructor(message: string, { interrupted = false } = {}) {
    super(message);
    this.interrupted = interrupted;
  }
}

/**
 * Where the user name and password of each URL in `text` is (`https://user:pass word@host`): from
 * after `://` to the last `@` of that line, whatever is between, so that a password with a space or an
 * unencoded `/` or `@` in it is covered too. One pass over `text`, however long.
 */
function userinfoSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (let scheme = text.indexOf('://'); scheme >= 0; ) {
    const newline = text.indexOf('\n', scheme);
    const lineEnd = newline < 0 ? text.length : newline;
    const at = text.slice(scheme, lineEnd).lastIndexOf('@');
    if (at > 3 && /[a-z0-9+.-]/i.test(text.charAt(scheme - 1)))
      spans.push({ start: scheme + 3, end: scheme + at });
    scheme = text.indexOf('://', lineEnd);
  }
  return spans;
}

/** The user names and passwords written into URLs in `text`, each whole and as its password alone. */
export function urlUserinfo(text: string): string[] {
  return userinfoSpans(text).flatMap(({ start, end }) => {
    const userinfo = text.slice(start, end);
    const password = userinfo.split(':').slice(1).join(':');
    return [userinfo, password].filter(Boolean);
  });
}

/** `text` with every URL's user name and password shown as `***`. */
function hideUserinfo(text: string): string {
  let shown = '';
  let from = 0;
  for (const { start, end } of userinfoSpans(text)) {
    shown += `${text.slice(from, start)}***`;
    from = end;
  }
  return shown + text.slice(from);
}

/**
 * Refuses a URL with a user name or password before anything quotes it: the message names only
 * the host.
 */
export function refuseUserinfo(text: string, inputName: string): void {
  const [span] = userinfoSpans(text);
  if (!span || !/^\s*[a-z][a-z0-9+.-]*$/i.test(text.slice(0, span.start - 3))) return;
  const host = text.slice(span.end + 1).split(/[/?#:\s]/)[0] ?? '';
  throw new InputError(
    `${inputName} has a user name or password in its URL (host ${quote(host)}): remove it; the credential goes in subscription-key, access-token or client-id.`,
  );
}

/**
 * Quotes a user's value in a message, cut short so that one bad input cannot flood the log; a
 * character outside printable ASCII shows as its \u escape, so that a look-alike letter or an
 * invisible space in it can be seen.
 */
export function quote(value: string): string {
  const hidden = hideUserinfo(value);
  const shown = hidden.length > 80 ? `${hidden.slice(0, 77)}...` : hidden;
  return JSON.stringify(shown).replace(
    /[^\x20-\x7e]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `value` without the quotes around it, as a value pasted with its quotes has them. */
export function unquoted(value: string): string {
  const match = /^(["'`])(.*)\1$/s.exec(value);
  return match ? (match[2] ?? '').trim() : value;
}

/** A failure of one of the runner's files (GITHUB_OUTPUT, GITHUB_STATE): names the variable, says what it cost. */
export class RunnerFileError extends Error {
  override name = 'RunnerFileError';
}

/** Why a runner's file could not be written: its error code (EISDIR), "no such file", or the reason. */
export function runnerFileFailure(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? (message?.startsWith('Missing file') ? 'no such file' : (message ?? String(error)));
}

/**
 * What the step says of an error it did not expect, in one line: the error's message, never its
 * stack, and where to report it (the runner names the action's repository).
 */
export function describeBug(error: unknown): string {
  const repository = process.env.GITHUB_ACTION_REPOSITORY;
  const where = repository ? ` at https://github.com/${repository}/issues` : " to the action's maintainers";
  return `Unexpected error: ${errorText(error)}. This is a bug in the action: please report it${where}, with this line.`;
}

/** The message of whatever was thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
