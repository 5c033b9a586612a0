import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/settings/duration.ts';

describe('a duration', () => {
  it.each([
    ['45s', 45_000],
    ['90m', 5_400_000],
    ['2h', 7_200_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['PT2H', 7_200_000],
    ['PT1H30M', 5_400_000],
    ['P1DT12H', 129_600_000],
    ['pt45s', 45_000],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text, 'stale-after')).toBe(ms);
  });

  it.each(['', '2', 'h', '2 hours', '-1h', '0m', 'P', 'PT', 'P1H', '2w'])('%j is refused', (text) => {
    expect(() => parseDuration(text, 'stale-after')).toThrow(/stale-after .* is not a duration/);
  });
});
