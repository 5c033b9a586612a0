// dist/ is what runs on the runner: it must be the bundle of the committed src/, in the form that
// starts fastest (see CONTRIBUTING, Performance).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleDistFiles } from '../../scripts/check-dist.ts';

const chunks = readdirSync('dist')
  .filter((file) => file.endsWith('.js'))
  .map((file) => ({ file, code: readFileSync(join('dist', file), 'utf8') }));

describe('dist/', () => {
  it('is the bundle of src/ (npm run bundle rebuilds it)', { timeout: 120_000 }, async () => {
    expect(await staleDistFiles()).toEqual([]);
  });

  it('is ASCII only: V8 decodes such a file without the slower UTF-8 path', () => {
    expect(chunks.filter(({ code }) => /[\u0080-\uffff]/.test(code)).map(({ file }) => file)).toEqual([]);
  });

  it('formats and compares nothing with Intl: its first use in a process loads ICU locale data (6–15 ms)', () => {
    const intl = /\bIntl\.|\.toLocale(String|DateString|TimeString)\(|\.localeCompare\(/;
    expect(chunks.filter(({ code }) => intl.test(code)).map(({ file }) => file)).toEqual([]);
  });
});
