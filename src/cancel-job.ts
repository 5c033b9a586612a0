// Cancels one batch and works out what really happened, as the live service behaves: a 200 with
// status Cancelling, or a 400/409 for a batch that can no longer be cancelled (confirmed by a GET).
import { type HttpAnswer, NoAnswerError, type TranslatorClient } from './translator-client.ts';
import {
  NETWORK_ERROR_CODE,
  parseServiceError,
  parseTranslationStatus,
  type ServiceError,
  statusKind,
  type TranslationStatus,
} from './wire.ts';

export type Outcome = 'cancel-requested' | 'already-cancelled' | 'already-finished' | 'error';

export interface JobResult {
  id: string;
  outcome: Outcome;
  /** The latest status the service gave for the batch, if any. */
  status?: TranslationStatus;
  error?: ServiceError;
  /** The apim-request-id of the cancel request's answer. */
  requestId?: string;
}

type Answered = { answer: HttpAnswer } | { error: ServiceError };

async function send(request: () => Promise<HttpAnswer>): Promise<Answered> {
  try {
    return { answer: await request() };
  } catch (error) {
    if (error instanceof NoAnswerError)
      return { error: { code: NETWORK_ERROR_CODE, message: error.message } };
    throw error;
  }
}

function redirectError(answer: HttpAnswer): ServiceError {
  return {
    code: 'UnexpectedResponse',
    message: `HTTP ${answer.status} redirect to ${answer.location ?? 'nowhere'}; redirects are not followed, so that the key stays with the endpoint. Check the endpoint.`,
    httpStatus: answer.status,
  };
}

/** The batch's current status, or undefined when the service cannot say. */
async function confirmStatus(client: TranslatorClient, id: string): Promise<TranslationStatus | undefined> {
  const sent = await send(() => client.getStatus(id));
  if ('error' in sent || sent.answer.status !== 200) return undefined;
  return parseTranslationStatus(sent.answer.body);
}

export async function cancelJob(client: TranslatorClient, id: string): Promise<JobResult> {
  const sent = await send(() => client.cancel(id));
  if ('error' in sent) return { id, outcome: 'error', error: sent.error };
  const { answer } = sent;
  const { requestId } = answer;

  if (answer.status >= 200 && answer.status < 300) {
    return { id, outcome: 'cancel-requested', status: parseTranslationStatus(answer.body), requestId };
  }
  if (answer.status >= 300 && answer.status < 400) {
    return { id, outcome: 'error', error: redirectError(answer), requestId };
  }

  const error = parseServiceError(answer.status, answer.body, answer.contentType);
  if (answer.status !== 400 && answer.status !== 409) return { id, outcome: 'error', error, requestId };

  // The service refuses to cancel a batch that has finished or is already being cancelled, with an
  // undocumented error: only the batch's status tells which.
  const status = await confirmStatus(client, id);
  switch (statusKind(status?.status)) {
    case 'cancelled':
      return { id, outcome: 'already-cancelled', status, requestId };
    case 'finished':
      return { id, outcome: 'already-finished', status, error, requestId };
    default:
      return { id, outcome: 'error', status, error, requestId };
  }
}
