/**
 * The entries of a list input: one per line or comma, trimmed; blank entries and `#` comments are
 * ignored, so that a one-line value typed into a workflow_dispatch form works as well as a block.
 */
export function listEntries(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
}
