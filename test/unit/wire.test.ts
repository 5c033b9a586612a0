// The wire format, read from the real recorded answers of the live service.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFinalStatus, statusKind } from '../../src/common/batch.ts';
import { parseBatchPage, parseServiceError, parseTranslationStatus } from '../../src/service/wire.ts';
import { recording } from '../support/recordings.ts';

describe('a status body', () => {
  it('is read from the live answer to a cancel: Cancelling, with every summary count', () => {
    const cancel = recording('js/recording_cancel_translation.json').find(
      (e) => e.RequestMethod === 'DELETE',
    );
    const status = parseTranslationStatus(JSON.stringify(cancel?.ResponseBody));
    expect(status?.status).toBe('Cancelling');
    expect(status?.counts).toEqual({
      total: 0,
      failed: 0,
      success: 0,
      inProgress: 0,
      notYetStarted: 0,
      cancelled: 0,
      totalCharacterCharged: 0,
    });
  });

  it('is read from the live answer to a cancel of a Succeeded batch: the batch unchanged, with its charges', () => {
    const [cancel] = recording(
      'python/test_list_translations_filter_by_status.DELETE-on-Succeeded.EXCERPT.json',
    );
    expect(cancel).toMatchObject({ RequestMethod: 'DELETE', StatusCode: 200 });
    const status = parseTranslationStatus(JSON.stringify(cancel?.ResponseBody));
    expect(status?.status).toBe('Succeeded');
    expect(status?.counts).toMatchObject({ success: 1, totalCharacterCharged: 27 });
    expect(statusKind(status?.status)).toBe('finished');
  });

  it('keeps the image counts that newer api-versions add to the summary', () => {
    const status = parseTranslationStatus(
      JSON.stringify({
        id: 'x',
        status: 'Cancelling',
        summary: { total: 2, totalImageScansSucceeded: 6, totalImageScansFailed: 1, totalImageCharged: 3 },
      }),
    );
    expect(status?.counts).toEqual({
      total: 2,
      totalImageScansSucceeded: 6,
      totalImageScansFailed: 1,
      totalImageCharged: 3,
    });
  });

  it('carries a job-level error when validation failed', () => {
    const entries = recording('js/recording_wrong_source_right_target.json');
    const failed = entries
      .map((e) => parseTranslationStatus(JSON.stringify(e.ResponseBody)))
      .find((s) => s?.status === 'ValidationFailed');
    expect(failed?.error?.code).toBe('InvalidRequest');
    expect(failed?.error?.innerError?.code).toBe('InvalidDocumentAccessLevel');
  });

  it('keeps its status and usable counts when some counts are in a form the action cannot use, naming those', () => {
    const status = parseTranslationStatus(
      '{"id":"x","status":"Cancelling","summary":{"total":"8","failed":0,"success":1.5,"inProgress":-1,"notYetStarted":null,"cancelled":2,"totalCharacterCharged":1e400}}',
    );
    expect(status?.status).toBe('Cancelling');
    expect(status?.counts).toEqual({ failed: 0, cancelled: 2 });
    expect(status?.unreadableCounts).toEqual([
      'summary.total',
      'summary.success',
      'summary.inProgress',
      'summary.notYetStarted',
      'summary.totalCharacterCharged',
    ]);
  });

  it('names the whole summary when it is not an object, and has no counts then', () => {
    for (const summary of ['"eight"', '8', '[1,2]']) {
      const status = parseTranslationStatus(`{"id":"x","status":"Running","summary":${summary}}`);
      expect(status).toMatchObject({ status: 'Running', unreadableCounts: ['summary'] });
      expect(status?.counts).toBeUndefined();
    }
    expect(parseTranslationStatus('{"id":"x","status":"Running","summary":null}')).toEqual({
      id: 'x',
      status: 'Running',
    });
  });

  it('is not a status when it is an error, empty, or not JSON', () => {
    expect(parseTranslationStatus('{"error":{"code":"x"}}')).toBeUndefined();
    expect(parseTranslationStatus('')).toBeUndefined();
    expect(parseTranslationStatus('{"id":"x","status":')).toBeUndefined();
  });
});

describe('a page of the batch list', () => {
  it('links to the next page with @nextLink, as the live service names it', () => {
    const file = new URL(
      '../fixtures/recordings/python/test_list_translations_filter_by_status.DELETE-on-Succeeded.EXCERPT.json',
      import.meta.url,
    );
    const tail = (JSON.parse(readFileSync(file, 'utf8')) as { ListPageTail: { '@nextLink': string } })
      .ListPageTail;
    const page = parseBatchPage(JSON.stringify({ value: [], '@nextLink': tail['@nextLink'] }));
    expect(page?.nextLink).toBe(tail['@nextLink']);
    expect(new URL(page?.nextLink ?? '').searchParams.get('skip')).toBe('50');
  });

  it('links with nextLink, as the spec names it, and ends without either', () => {
    expect(parseBatchPage('{"value":[],"nextLink":"https://x.test/next"}')?.nextLink).toBe(
      'https://x.test/next',
    );
    expect(parseBatchPage('{"value":[]}')).toEqual({ batches: [] });
  });
});

describe('a status value', () => {
  it.each([
    ['Cancelled', 'cancelled'],
    ['Canceled', 'cancelled'],
    ['Cancelling', 'cancelled'],
    ['Succeeded', 'finished'],
    ['Failed', 'finished'],
    ['ValidationFailed', 'finished'],
    ['NotStarted', 'in-flight'],
    ['Running', 'in-flight'],
    ['Paused', 'unknown'],
  ])('%s is %s', (status, kind) => {
    expect(statusKind(status)).toBe(kind);
  });
});

describe('a final status', () => {
  it.each([
    ['Cancelled', true],
    ['Canceled', true],
    ['Succeeded', true],
    ['Failed', true],
    ['ValidationFailed', true],
    ['Cancelling', false],
    ['Canceling', false],
    ['NotStarted', false],
    ['Running', false],
    ['Paused', false],
  ])('%s is final: %s', (status, final) => {
    expect(isFinalStatus(status)).toBe(final);
  });
});

describe('an error answer', () => {
  it("is the API gateway's 401 with a code of digits, named Unauthorized", () => {
    const [entry] = recording('net/ClientCannotAuthenticateWithFakeApiKey.json');
    const error = parseServiceError(401, JSON.stringify(entry?.ResponseBody), 'application/json');
    expect(error).toMatchObject({ code: 'Unauthorized', httpStatus: 401 });
    expect(error.message).toMatch(/^Access denied due to invalid subscription key/);
  });

  it('is an empty 404, named ResourceNotFound', () => {
    expect(parseServiceError(404, '', '')).toEqual({
      code: 'ResourceNotFound',
      message: 'HTTP 404 with an empty body.',
      httpStatus: 404,
    });
  });

  it.each([
    [400, 'InvalidRequest'],
    [401, 'Unauthorized'],
    [403, 'Unauthorized'],
    [404, 'ResourceNotFound'],
    [409, 'InvalidRequest'],
    [429, 'RequestRateTooHigh'],
    [500, 'InternalServerError'],
    [502, 'ServiceUnavailable'],
    [503, 'ServiceUnavailable'],
    [504, 'ServiceUnavailable'],
  ])('without a documented code, HTTP %i is named %s', (status, code) => {
    expect(parseServiceError(status, '<html>oops</html>', 'text/html').code).toBe(code);
  });

  it('keeps the documented code, target and inner error of the spec examples', () => {
    const body = readFileSync(new URL('../fixtures/spec-examples/v1.1/cancel.json', import.meta.url), 'utf8');
    const example = (JSON.parse(body) as { responses: Record<string, { body: unknown }> }).responses['429'];
    expect(parseServiceError(429, JSON.stringify(example?.body), 'application/json')).toEqual({
      code: 'RequestRateTooHigh',
      message: "User's request rate is too high",
      target: 'Operation',
      innerCode: 'RateTooHigh',
      innerMessage: 'Request rate is too high',
      httpStatus: 429,
    });
  });
});
