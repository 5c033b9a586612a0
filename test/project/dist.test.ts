// dist/ is what runs on the runner, in the form that starts fastest (see CONTRIBUTING, Performance).
// That it is the bundle of the committed src/ is checked before the tests (scripts/checks.ts), never
// beside them: bundling puts a stand-in into node_modules for a while.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const chunks = readdirSync('dist')
  .filter((file) => file.endsWith('.js'))
  .map((file) => ({ file, code: readFileSync(join('dist', file), 'utf8') }));

describe('dist/', () => {
  it('is ASCII only: V8 decodes such a file without the slower UTF-8 path', () => {
    expect(chunks.filter(({ code }) => /[\u0080-\uffff]/.test(code)).map(({ file }) => file)).toEqual([]);
  });

  it('formats and compares nothing with Intl: its first use in a process loads ICU locale data (6–15 ms)', () => {
    const intl = /\bIntl\.|\.toLocale(String|DateString|TimeString)\(|\.localeCompare\(/;
    expect(chunks.filter(({ code }) => intl.test(code)).map(({ file }) => file)).toEqual([]);
  });
});
