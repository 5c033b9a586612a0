/**
 * The entries of a list input: one per line or comma, trimmed; blank entries and `#` comments (a
 * line's rest from a `#` at its start or after a space) are ignored, so that a one-line value typed
 * into a workflow_dispatch form works as well as a block, and a block can say why: YAML keeps a
 * comment inside a `|` block as part of the value. A line may end in CRLF or CR (a value pasted from
 * a Windows editor, or a form).
 */
export function listEntries(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .flatMap((line) => line.replace(/(^|\s)#.*$/, '').split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
