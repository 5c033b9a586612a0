// Failures the user can fix, each reported as one line that says what to change, never a stack.

/** A problem with the step's inputs, found before any request. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Keyless sign-in failed: the message says why and what to change. */
export class SignInError extends Error {
  override name = 'SignInError';
}

// The user name and password of a URL (`https://user:password@host`), never shown. Up to the last
// `@` of the entry, so that a password with an unencoded `/` or `@` in it is covered too.
const URL_USERINFO = /(?<scheme>[a-z][a-z0-9+.-]*:\/\/)(?<userinfo>[^\s,]*)@/gi;

/** The user names and passwords written into URLs in `text`, each whole and as its password alone. */
export function urlUserinfo(text: string): string[] {
  return [...text.matchAll(URL_USERINFO)].flatMap((match) => {
    const userinfo = match.groups?.userinfo ?? '';
    const password = userinfo.split(':').slice(1).join(':');
    return [userinfo, password].filter(Boolean);
  });
}

/**
 * Refuses a URL with a user name or password before anything quotes it: the message names only
 * the host.
 */
export function refuseUserinfo(text: string, inputName: string): void {
  const match = new RegExp(`^\\s*${URL_USERINFO.source}`, 'i').exec(text);
  if (!match) return;
  const host = text.slice(match[0].length).split(/[/?#:\s]/)[0] ?? '';
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
  const hidden = value.replace(URL_USERINFO, '$<scheme>***@');
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
