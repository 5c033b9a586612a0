// dist/ is what runs on the runner: it must be the bundle of the committed src/.
import { describe, expect, it } from 'vitest';
import { staleDistFiles } from '../../scripts/check-dist.ts';

describe('dist/', () => {
  it('is the bundle of src/ (npm run bundle rebuilds it)', { timeout: 120_000 }, async () => {
    expect(await staleDistFiles()).toEqual([]);
  });
});
