// The repository passes its tests on a clone with nothing beside it: no file reads or names the
// reference folder that sat next to the project while it was built.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SKIPPED = new Set(['.git', 'node_modules']);
// Spelled in pieces so that this file does not match itself.
const OUTSIDE_REFERENCE = new RegExp(['\\.\\./', 'shared', '|', 'shared/', 'azure'].join(''));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the repository', () => {
  it('refers to nothing outside itself: every recording and example it uses is a copy inside it', () => {
    const files = filesUnder(ROOT);
    const referring = files
      .filter((file) => OUTSIDE_REFERENCE.test(readFileSync(file, 'latin1')))
      .map((file) => relative(ROOT, file));

    expect(files.length).toBeGreaterThan(50);
    expect(referring).toEqual([]);
  });
});
