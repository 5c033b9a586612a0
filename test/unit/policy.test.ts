import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/common/user-errors.ts';
import { decide, parseErrorPolicy } from '../../src/settings/policy.ts';

describe('the error policy', () => {
  it('by default warns when the batch had already finished and fails on everything else', () => {
    const policy = parseErrorPolicy('');
    expect(decide(policy, ['AlreadyFinished', 'InvalidRequest', '400'])).toEqual({
      action: 'warn',
      key: 'AlreadyFinished',
    });
    expect(decide(policy, ['ResourceNotFound', '404'])).toEqual({ action: 'fail', key: '*' });
  });

  it('takes lines, commas, comments and blank lines, with keys in any letter case', () => {
    for (const text of [
      '# quiet about missing jobs\nresourcenotfound: IGNORE\n\n429: warn',
      'ResourceNotFound: ignore, 429: warn',
    ]) {
      const policy = parseErrorPolicy(text);
      expect(decide(policy, ['ResourceNotFound', '404']).action).toBe('ignore');
      expect(decide(policy, ['RequestRateTooHigh', '429']).action).toBe('warn');
    }
  });

  it('lets the most specific key win: situation, then error code, then HTTP status, then *', () => {
    const policy = parseErrorPolicy('*: ignore\n400: warn\nInvalidRequest: fail\nAlreadyFinished: ignore');
    expect(decide(policy, ['AlreadyFinished', 'InvalidRequest', '400']).key).toBe('AlreadyFinished');
    expect(decide(policy, ['InvalidRequest', '400']).key).toBe('InvalidRequest');
    expect(decide(policy, ['InvalidArgument', '400']).key).toBe('400');
    expect(decide(policy, ['Unauthorized', '401']).key).toBe('*');
  });

  it("puts the user's * before the built-in defaults", () => {
    expect(decide(parseErrorPolicy('*: ignore'), ['AlreadyFinished', 'InvalidRequest', '400']).action).toBe(
      'ignore',
    );
  });

  it.each([
    ['an unknown action', '404: explode', /unknown action "explode"/],
    ['a line without a colon', 'ignore everything', /not of the form KEY/],
    ['a key with spaces', 'Already Finished: warn', /not of the form KEY/],
    ['a key named twice', '404: warn\n404: fail', /names "404" twice/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseErrorPolicy(text)).toThrow(InputError);
    expect(() => parseErrorPolicy(text)).toThrow(message);
  });
});
