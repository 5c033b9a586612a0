// The repository passes its tests on a clone with nothing beside it: no file reads or names the
// reference folder that sat next to the project while it was built. It runs from any folder, one
// whose name has a space included.
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

  it("runs from a folder whose name a URL escapes: no script or test takes a file URL's text for a path", () => {
    // `import.meta.url === \`file://${process.argv[1]}\`` is false under "/with space/": a script
    // so guarded did nothing, and `npm run check-dist` passed without checking. A file URL's pathname
    // is escaped the same way.
    const urlAsPath = [/import\.meta\.url\s*===/, /new URL\([^)]*\)\.pathname/];
    const code = [...filesUnder(join(ROOT, 'scripts')), ...filesUnder(join(ROOT, 'test'))].filter((file) =>
      /\.(ts|mjs|cjs)$/.test(file),
    );
    const offending = code
      .filter((file) => file !== fileURLToPath(import.meta.url))
      .filter((file) => urlAsPath.some((pattern) => pattern.test(readFileSync(file, 'utf8'))))
      .map((file) => relative(ROOT, file));

    expect(code.length).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
