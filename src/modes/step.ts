// What main.ts gives every mode to work with (ModeContext), and max-jobs' cap, which the modes that
// cancel share. A mode is a function of its settings and this context to a ModeOutcome (outcome.ts).
import type { BatchResult, Target } from '../common/batch.ts';
import type { Service } from '../common/credential.ts';
import { grouped } from '../common/numbers.ts';
import type { LedgerEntry } from '../github/ledger.ts';
import type { BatchClient } from '../service/batch-client.ts';
import type { RequestLimits } from '../service/retry.ts';
import type { ModeNote, ModeOutcome } from './outcome.ts';

export interface ModeContext {
  /** The pull request comment's GitHub side, for the ledger's modes: the token, and the pull-request input. */
  github: { token: string; pullRequest: number | undefined };
  /** The step's time, retries and the runner's cancel: one deadline for every request, to the service or to GitHub. */
  limits: RequestLimits;
  /** A client of the service, signed in with `service`'s credential; all of the step's share one pool of connections. */
  connect(service: Service): Promise<BatchClient>;
  /** A line in the step's log, as the work goes. */
  log(line: string): void;
}

/**
 * The pull request comment for what the mode has so far and `ledger`, with `footer` (which run
 * wrote it).
 */
export type RenderComment = (outcome: ModeOutcome, ledger: readonly LedgerEntry[], footer: string) => string;

/** What the ledger's modes are given besides: they write the pull request comment themselves, as their work. */
export interface LedgerContext extends ModeContext {
  renderComment: RenderComment;
}

// The batches a max-jobs warning names, of those it leaves for a later run.
const NAMED_LEFT = 10;

/** Which of the targets max-jobs keeps, as its warning says it. */
const KEPT: Record<'given' | 'oldest' | 'recorded', string> = {
  given: '',
  oldest: ', the oldest',
  recorded: ', the first recorded',
};

/** The first max-jobs targets, in `order`, and a warning of how many remain, naming the first of them. */
export function capTargets(
  targets: Target[],
  maxJobs: number,
  order: keyof typeof KEPT,
): { targets: Target[]; notes: ModeNote[] } {
  if (targets.length <= maxJobs) return { targets, notes: [] };
  const left = targets.slice(maxJobs).map((target) => target.id);
  const more = left.length > NAMED_LEFT ? `, and ${grouped(left.length - NAMED_LEFT)} more` : '';
  const message = `${grouped(targets.length)} batches to cancel, more than max-jobs (${grouped(maxJobs)}): cancelling the first ${grouped(maxJobs)}${KEPT[order]}; ${grouped(left.length)} remain: ${left.slice(0, NAMED_LEFT).join(', ')}${more}. Raise max-jobs, or run the step again for them.`;
  return { targets: targets.slice(0, maxJobs), notes: [{ level: 'warn', message }] };
}

/** The outcome of results on `serviceBase`, with nothing else to say. */
export function outcomeOf(results: BatchResult[], serviceBase: string, waited = false): ModeOutcome {
  return { results, serviceBase, waited, notes: [] };
}
