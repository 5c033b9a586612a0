// The README's troubleshooting table names what the step says: every Microsoft Entra code the action
// explains by itself (src/service/entra-codes.ts) has a row, so that a person who meets one finds it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_ENTRA_CODES } from '../../src/service/entra-codes.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const troubleshooting = readme.slice(readme.indexOf('## Troubleshooting'), readme.indexOf('## Performance'));

describe("the README's troubleshooting", () => {
  it.each(KNOWN_ENTRA_CODES)('has a row for AADSTS%i', (code) => {
    expect(troubleshooting).toMatch(new RegExp(`^\\|[^\\n]*AADSTS${code}\\b`, 'm'));
  });
});
