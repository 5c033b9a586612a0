import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/service/http.ts';
import { backoffMs, isRetryableStatus } from '../../src/service/retry.ts';

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])('retry HTTP %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 501])('do not retry HTTP %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });

  it('read Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 2.5 ', now)).toBe(2500);
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('back off exponentially, jittered within ±20 %, and never past 30 s', () => {
    expect(backoffMs(1, () => 0.5)).toBe(800);
    expect(backoffMs(2, () => 0.5)).toBe(1600);
    expect(backoffMs(3, () => 0)).toBe(2560);
    expect(backoffMs(3, () => 1)).toBe(3840);
    expect(backoffMs(20, () => 0)).toBe(30_000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});
