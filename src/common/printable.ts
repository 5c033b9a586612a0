// What the action may print or write: every secret the step knows redacted, and a log line made
// safe. The runner masks a secret in the log once it is told (`::add-mask::`); the action also
// redacts them itself, in every form it writes text in (plain, inside JSON, inside HTML), so that a
// secret the service echoes is not written even where the runner masks nothing: the outputs, the job
// summary, the pull request comment, local runs.
import { inertText } from './html.ts';

const secrets: string[] = [];

/** Keeps `secret` for redact(), in every form the action writes it. */
export function keepSecret(secret: string): void {
  secrets.push(secret, JSON.stringify(secret).slice(1, -1), inertText(secret));
}

/** The text with every secret the step knows replaced by `***`. */
export function redact(text: string): string {
  return secrets.reduce((line, secret) => line.replaceAll(secret, '***'), text);
}

/**
 * Makes text from the service or the user safe to print: redacted, one line, no control characters,
 * never starting with `::`, and with no `##[` anywhere (the runner obeys both as workflow commands;
 * the older `##[command]` form wherever it stands in a line): a word joiner goes between the two `#`.
 */
export function printable(text: string): string {
  const line = redact(text)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replaceAll('##[', '#\u2060#[')
    .trim();
  return line.startsWith('::') ? `: ${line.slice(1)}` : line;
}
