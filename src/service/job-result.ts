// A batch's result: what the step learned of one batch, whichever way it went. The report, the
// outputs and the ledger read it; service/cancel-job.ts and its neighbours make it.
import type { Stop } from './timing.ts';
import type { StopReason } from './translator-client.ts';
import type { ServiceError, TranslationStatus } from './wire.ts';

/** Every outcome a batch can have; the outcome output is one of these, or Mixed. */
export const OUTCOMES = [
  'cancel-requested',
  'already-cancelled',
  'already-finished',
  'would-cancel',
  'left-alone',
  'tracked',
  'error',
] as const;
type Outcome = (typeof OUTCOMES)[number];

export interface JobResult {
  id: string;
  outcome: Outcome;
  /** The latest status the service gave for the batch, if any. */
  status?: TranslationStatus;
  error?: ServiceError;
  /** The apim-request-id of the cancel request's answer. */
  requestId?: string;
  /** How many times the cancel was sent. */
  attempts?: number;
  /** Set when the cancel's last answer was a transient failure that was not retried further. */
  stoppedBy?: StopReason;
  /** Set when waiting for a final status ended before one came; `error` then says why. */
  waitEnded?: Stop | 'error';
  /** Why the batch's counts are not known: the status read after the cancel failed. */
  countsError?: ServiceError;
}
