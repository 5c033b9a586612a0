// The runner's files that take `name<<delimiter` entries: the step's outputs (GITHUB_OUTPUT) and
// the state its post step reads (GITHUB_STATE), written as @actions/core's file commands write them,
// without loading it (github/runner-start.ts says why).
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/**
 * Appends `name<<delimiter` entries to the runner's file that `variable` names, in one write, as
 * @actions/core's file commands append them one by one; nothing outside a runner, which has none.
 * core picks a random delimiter and refuses a value that holds it; this one is made longer until no
 * name or value holds it, so no value can end its entry early, whatever the service sent.
 */
export function appendFileCommands(
  variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE',
  entries: Record<string, string>,
): void {
  const file = process.env[variable];
  if (!file) return;
  const pairs = Object.entries(entries);
  const held = (delimiter: string) =>
    pairs.some(([name, value]) => name.includes(delimiter) || value.includes(delimiter));
  let delimiter = 'ghadelimiter_cancel-document-translation';
  while (held(delimiter)) delimiter += '_';
  // As core's file commands: a file the runner did not make is not made here.
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  appendFileSync(
    file,
    pairs.map(([name, value]) => `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`).join(''),
  );
}
