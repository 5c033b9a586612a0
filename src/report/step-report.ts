// What the step tells the user in its log: a line for each thing the step says, a line per result (in
// a group when there are several), one annotation for the warnings and one for the failures. It
// writes to the log main.ts gives it (the runner's), so that it needs nothing but the report's types.

import { grouped } from '../common/numbers.ts';
import type { ModeNote } from '../modes/outcome.ts';
import type { Verdict } from './wording.ts';

/** Where the report's lines go: the runner's log and annotations. */
export interface StepLog {
  info(message: string): void;
  notice(message: string): void;
  warn(message: string): void;
  fail(message: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

/** A thing the step says: a log line, or an annotation (the log's method of the note's level). */
export function sayNote(log: StepLog, note: ModeNote): void {
  log[note.level](note.message);
}

/** A verdict: passed and ignored ones are log lines, the others annotations. */
function sayVerdict(log: StepLog, verdict: Verdict): void {
  sayNote(log, {
    level: verdict.action === 'pass' || verdict.action === 'ignore' ? 'info' : verdict.action,
    message: verdict.message,
  });
}

/**
 * The verdicts on the results: one log line each, in a group; one annotation for the warnings and
 * one for the failures. `unsent`, when the runner's cancel left batches unsent, says them all in one
 * line and annotation.
 */
export function sayVerdicts(log: StepLog, verdicts: readonly Verdict[], unsent?: Verdict): void {
  if (unsent) sayVerdict(log, unsent);
  if (verdicts.length <= 1) {
    for (const verdict of verdicts) sayVerdict(log, verdict);
    return;
  }
  log.startGroup(`${grouped(verdicts.length)} batches`);
  for (const verdict of verdicts) log.info(verdict.message);
  log.endGroup();
  for (const action of ['warn', 'fail'] as const) {
    const matching = verdicts.filter((verdict) => verdict.action === action);
    const [first] = matching;
    if (!first) continue;
    const more = matching.length > 1 ? ` (${grouped(matching.length - 1)} more in the log)` : '';
    sayVerdict(log, {
      action,
      message: `${grouped(matching.length)} of ${grouped(verdicts.length)} batches: ${first.message}${more}`,
    });
  }
}
