// What the step tells the user: a log line per result, one annotation for the warnings and one for
// the failures, and what the job summary and the comment show: the results with their verdicts,
// the step's own warnings and failures, and what a search found. The log it writes to is the
// runner's (main.ts gives it github/runner.ts's functions), so that this module needs nothing but
// the report's own types.

import type { BatchResult } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import type { Note, Verdict } from '../common/types.ts';

/** What stale-after searched for, and what it found. */
export interface Search {
  staleAfter: string;
  createdBefore: string;
  found: number;
  /** How many of those max-jobs left for a later run. */
  leftOver: number;
}

/** What the report shows of a step, as html-report.ts renders it. */
export interface ReportView {
  title: string;
  results: readonly BatchResult[];
  /** The verdict on each result, in the same order (absent before they are judged). */
  verdicts: readonly Verdict[];
  notes: readonly Note[];
  search?: Search;
  /** With wait: true, a Cancelling batch was waited for; without, its final counts come later. */
  waited: boolean;
  /** A line saying which run wrote this, for the comment. */
  footer?: string;
}

/** Where the report's lines go: the runner's log and annotations. */
export interface StepLog {
  info(message: string): void;
  warn(message: string): void;
  fail(message: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

export class StepReport {
  readonly #log: StepLog;
  readonly #notes: Note[] = [];
  #results: readonly BatchResult[] = [];
  #verdicts: readonly Verdict[] = [];
  #search?: Search;
  #waited = false;

  constructor(log: StepLog) {
    this.#log = log;
  }

  get results(): readonly BatchResult[] {
    return this.#results;
  }

  /** The verdict on each of `results`, in the same order, once judged. */
  get verdicts(): readonly Verdict[] {
    return this.#verdicts;
  }

  /** What the report shows of this step under `title`; `footer` says which run wrote it, in the comment. */
  view(title: string, footer?: string): ReportView {
    return {
      title,
      results: this.#results,
      verdicts: this.#verdicts,
      notes: this.#notes,
      search: this.#search,
      waited: this.#waited,
      footer,
    };
  }

  /** The step's results, once known, the verdicts on them once judged, and whether they were waited for. */
  record(results: readonly BatchResult[], verdicts: readonly Verdict[] = [], waited = false): void {
    this.#results = results;
    this.#verdicts = verdicts;
    this.#waited = waited;
  }

  /** What stale-after searched for and found. */
  recordSearch(search: Search): void {
    this.#search = search;
  }

  /** Something about the step as a whole: logged, annotated, and kept for the summary. */
  say(verdict: Verdict): void {
    this.#announce(verdict);
    if (verdict.action === 'warn' || verdict.action === 'fail') {
      this.#notes.push({ level: verdict.action, message: verdict.message });
    }
  }

  /**
   * The verdicts on the results: one log line each, in a group; one annotation for the warnings and
   * one for the failures. None: nothing to cancel. `unsent`, when the runner's cancel left batches
   * unsent, says them all in one line and annotation.
   */
  sayAll(verdicts: readonly Verdict[], unsent?: Verdict): void {
    if (unsent) this.#announce(unsent);
    if (verdicts.length === 0) {
      if (!unsent) this.#log.info('Nothing to cancel.');
      return;
    }
    if (verdicts.length === 1 && verdicts[0]) {
      this.#announce(verdicts[0]);
      return;
    }
    this.#log.startGroup(`${grouped(verdicts.length)} batches`);
    for (const verdict of verdicts) this.#log.info(verdict.message);
    this.#log.endGroup();
    for (const action of ['warn', 'fail'] as const) {
      const matching = verdicts.filter((verdict) => verdict.action === action);
      const [first] = matching;
      if (!first) continue;
      const more = matching.length > 1 ? ` (${grouped(matching.length - 1)} more in the log)` : '';
      this.#announce({
        action,
        message: `${grouped(matching.length)} of ${grouped(verdicts.length)} batches: ${first.message}${more}`,
      });
    }
  }

  #announce(verdict: Verdict): void {
    switch (verdict.action) {
      case 'pass':
      case 'ignore':
        this.#log.info(verdict.message);
        return;
      case 'warn':
        this.#log.warn(verdict.message);
        return;
      case 'fail':
        this.#log.fail(verdict.message);
        return;
    }
  }
}
