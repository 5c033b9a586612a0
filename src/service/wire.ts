// The service's wire format: what its answers look like, checked with zod, and how its errors are
// named; what a status and its counts mean is common/batch.ts. Nothing here sends a request.

import * as z from 'zod/mini';
import {
  type BatchCounts,
  COUNT_FIELDS,
  type ServiceError,
  type TranslationStatus,
} from '../common/batch.ts';
import { CREDENTIAL_STAYS, DOCUMENTED_ERROR_CODES, ErrorCode } from '../common/error-codes.ts';
import { serviceText, withoutSas } from '../common/service-text.ts';
import { parseJson } from './json.ts';

/** The codes the API documents for `error.code`; anything else is renamed from the HTTP status. */
// What the service says in its own words is cut to these lengths, so that a broken or hostile answer
// cannot flood the log, the annotations, the outputs or the summary; what the action adds (the code,
// the request id, what to do) is never cut.
const MESSAGE_LIMIT = 500;
const DETAIL_LIMIT = 200;
const STATUS_LIMIT = 100;

const text = z.catch(z.optional(z.pipe(z.union([z.string(), z.number()]), z.transform(String))), undefined);

const ErrorDetailSchema = z.object({
  code: text,
  message: text,
  target: text,
  innerError: z.catch(z.optional(z.object({ code: text, message: text })), undefined),
});

const TranslationStatusSchema = z.object({
  id: z.string(),
  createdDateTimeUtc: z.optional(z.string()),
  lastActionDateTimeUtc: z.optional(z.string()),
  // An open set: a status this code has never seen must pass through, not fail validation.
  status: z.pipe(
    z.string(),
    z.transform((status: string) => serviceText(status, STATUS_LIMIT)),
  ),
  // Read field by field (readCounts): a count the action cannot use must not hide the status.
  summary: z.optional(z.unknown()),
  error: z.optional(ErrorDetailSchema),
});

const ErrorBodySchema = z.object({ error: ErrorDetailSchema });

// The spec names the list's page link `nextLink`; the live service (2024-05-01, as recorded) and the
// legacy v1.x API send `@nextLink`. Either is followed.
const BatchPageSchema = z.object({
  value: z.array(TranslationStatusSchema),
  nextLink: z.optional(z.string()),
  '@nextLink': z.optional(z.string()),
});

/** The summary's counts that are whole numbers of 0 or more, and the names of those that are not. */
function readCounts(summary: unknown): Pick<TranslationStatus, 'counts' | 'unreadableCounts'> {
  if (summary === undefined || summary === null) return {};
  if (typeof summary !== 'object' || Array.isArray(summary)) return { unreadableCounts: ['summary'] };
  const counts: BatchCounts = {};
  const unreadable: string[] = [];
  for (const field of COUNT_FIELDS) {
    const value: unknown = (summary as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) counts[field] = value;
    else unreadable.push(`summary.${field}`);
  }
  const readable = Object.keys(counts).length > 0 ? { counts } : {};
  return unreadable.length > 0 ? { ...readable, unreadableCounts: unreadable } : readable;
}

function checkedStatus(parsed: z.infer<typeof TranslationStatusSchema>): TranslationStatus {
  const { summary, ...status } = parsed;
  return { ...status, ...readCounts(summary) };
}

/** The status body of a batch, or undefined when the body is not one. */
export function parseTranslationStatus(body: string): TranslationStatus | undefined {
  const parsed = TranslationStatusSchema.safeParse(parseJson(body));
  return parsed.success ? checkedStatus(parsed.data) : undefined;
}

interface BatchPage {
  batches: TranslationStatus[];
  nextLink?: string;
}

/** A page of the batch list, or undefined when the body is not one. */
export function parseBatchPage(body: string): BatchPage | undefined {
  const parsed = BatchPageSchema.safeParse(parseJson(body));
  if (!parsed.success) return undefined;
  return {
    batches: parsed.data.value.map(checkedStatus),
    nextLink: parsed.data.nextLink ?? parsed.data['@nextLink'],
  };
}

function codeForHttpStatus(httpStatus: number): string {
  if (httpStatus === 401 || httpStatus === 403) return 'Unauthorized';
  if (httpStatus === 404) return 'ResourceNotFound';
  if (httpStatus === 429) return 'RequestRateTooHigh';
  if (httpStatus === 502 || httpStatus === 503 || httpStatus === 504) return 'ServiceUnavailable';
  if (httpStatus >= 500) return 'InternalServerError';
  if (httpStatus >= 400) return 'InvalidRequest';
  return ErrorCode.UnexpectedResponse;
}

/** Says what an answer's body is when it is not what the service sends: empty, or someone else's page. */
export function describeAnswerBody(httpStatus: number, body: string, contentType: string): string {
  if (body.trim() === '') return `HTTP ${httpStatus} with an empty body.`;
  const kind = contentType.split(';')[0]?.trim() || 'no content type';
  const start = withoutSas(body.slice(0, 600).replace(/\s+/g, ' ').trim()).slice(0, 60);
  return `HTTP ${httpStatus} with a body that is not a service error (${kind}, starting ${JSON.stringify(start)}); a proxy or gateway may have answered.`;
}

/**
 * Reads any error answer: the documented JSON, the API gateway's `"code": "401"`, an empty 404,
 * or a proxy's HTML page. Never throws.
 */
export function parseServiceError(httpStatus: number, body: string, contentType: string): ServiceError {
  const parsed = ErrorBodySchema.safeParse(parseJson(body));
  if (!parsed.success) {
    return {
      code: codeForHttpStatus(httpStatus),
      message: describeAnswerBody(httpStatus, body, contentType),
      httpStatus,
    };
  }
  const { code, message, target, innerError } = parsed.data.error;
  const cut = (text: string | undefined, limit: number) =>
    text === undefined ? undefined : serviceText(text, limit);
  return {
    code: code && DOCUMENTED_ERROR_CODES.includes(code) ? code : codeForHttpStatus(httpStatus),
    message: serviceText(message || `HTTP ${httpStatus}.`, MESSAGE_LIMIT),
    target: cut(target, DETAIL_LIMIT),
    innerCode: cut(innerError?.code, DETAIL_LIMIT),
    innerMessage: cut(innerError?.message, DETAIL_LIMIT),
    httpStatus,
  };
}

/** A redirect, which is never followed. */
export function redirectError(httpStatus: number, location: string | undefined): ServiceError {
  return {
    code: ErrorCode.UnexpectedResponse,
    message: `HTTP ${httpStatus} redirect to ${location === undefined ? 'nowhere' : serviceText(location, DETAIL_LIMIT)}; redirects are not followed, ${CREDENTIAL_STAYS}. Check the endpoint.`,
    httpStatus,
  };
}
