// What a mode comes back with: the batches' results and what else the step is to say. main.ts judges
// the results under the error policy and publishes it all once (the log, the outputs, the job summary,
// the pull request comment). This module imports only the batch's vocabulary.
import type { BatchResult } from '../common/batch.ts';

/** Something the step says besides each batch's result: a log line, a notice, a warning or a failure. */
export interface ModeNote {
  level: 'info' | 'notice' | 'warn' | 'fail';
  message: string;
}

/** What stale-after searched for, and what it found. */
export interface Search {
  staleAfter: string;
  createdBefore: string;
  found: number;
  /** How many of those max-jobs left for a later run. */
  leftOver: number;
}

export interface ModeOutcome {
  results: BatchResult[];
  /** The resource the batches are on, which what the step advises names. */
  serviceBase: string;
  /** Whether a cancelled batch was waited for until its status was final (wait: true). */
  waited: boolean;
  /** What the step says besides each batch's result, in order. */
  notes: ModeNote[];
  search?: Search;
  /** Set when the mode wrote the pull request comment itself, as the ledger's modes do. */
  commented?: boolean;
  /** Guard mode's main step: the batches it guards, which its post step reports on. */
  guarded?: string[];
}
