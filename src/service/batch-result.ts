// A batch's result: what the step learned of one batch, whichever way it went. The report, the
// outputs and the ledger read it; service/cancel-batch.ts and its neighbours make it.
import type { RequestStopReason, StopReason } from './timing.ts';
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
/** What every result may carry, whatever its outcome. */
interface AnyResult {
  id: string;
  /** The apim-request-id of the cancel request's answer. */
  requestId?: string;
  /** How many times the cancel was sent. */
  attempts?: number;
  /** Why the batch's counts are not known: the status read after the cancel failed. */
  countsError?: ServiceError;
}

/** The service is cancelling the batch, or an earlier cancel already had. */
export type AcceptedResult = AnyResult & {
  outcome: 'cancel-requested' | 'already-cancelled';
  status: TranslationStatus;
} & (
    | {
        /** Set when waiting for a final status ended before one came. */ waitStoppedBy?: StopReason;
        error?: undefined;
      }
    | { /** Waiting for a final status failed, for `error`. */ waitStoppedBy: 'error'; error: ServiceError }
  );

/**
 * A batch's result, by outcome: each carries what that outcome has, and an error only where there is
 * one (a finished batch's error is the service's refusal of the cancel, when it refused).
 */
export type BatchResult =
  | AcceptedResult
  | (AnyResult & { outcome: 'already-finished'; status: TranslationStatus; error?: ServiceError })
  | (AnyResult & { outcome: 'would-cancel' | 'left-alone'; status: TranslationStatus; error?: undefined })
  | (AnyResult & { outcome: 'tracked'; status?: TranslationStatus; error?: undefined })
  | (AnyResult & {
      outcome: 'error';
      error: ServiceError;
      /** The latest status the service gave, when it gave one. */
      status?: TranslationStatus;
      /** Set when the cancel's last answer was a transient failure that was not retried further. */
      stoppedBy?: RequestStopReason;
    });
