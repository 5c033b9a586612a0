// What the step tells the user: a log line per result, one annotation for the warnings and one for
// the failures, and the same warnings and failures kept for the job summary and the comment.
import type { JobResult } from './cancel-job.ts';
import { endGroup, fail, info, startGroup, warn } from './runner.ts';
import type { Note } from './summary.ts';
import type { Verdict } from './verdict.ts';

export class StepReport {
  readonly #notes: Note[] = [];
  #results: readonly JobResult[] = [];

  get notes(): readonly Note[] {
    return this.#notes;
  }

  get results(): readonly JobResult[] {
    return this.#results;
  }

  /** The step's results, once known: what the outputs, the summary and the comment show. */
  record(results: readonly JobResult[]): void {
    this.#results = results;
  }

  say(verdict: Verdict): void {
    switch (verdict.action) {
      case 'pass':
      case 'ignore':
        info(verdict.message);
        return;
      case 'warn':
        this.#notes.push({ level: 'warning', message: verdict.message });
        warn(verdict.message);
        return;
      case 'fail':
        this.#notes.push({ level: 'failure', message: verdict.message });
        fail(verdict.message);
        return;
    }
  }

  /** One log line per batch, in a group; one annotation for the warnings and one for the failures. */
  sayAll(verdicts: readonly Verdict[]): void {
    if (verdicts.length === 1 && verdicts[0]) {
      this.say(verdicts[0]);
      return;
    }
    startGroup(`${verdicts.length} batches`);
    for (const verdict of verdicts) info(verdict.message);
    endGroup();
    for (const action of ['warn', 'fail'] as const) {
      const matching = verdicts.filter((verdict) => verdict.action === action);
      const [first] = matching;
      if (!first) continue;
      const more = matching.length > 1 ? ` (${matching.length - 1} more in the log)` : '';
      this.say({
        action,
        message: `${matching.length} of ${verdicts.length} batches: ${first.message}${more}`,
      });
    }
  }
}
