// What dist/ was built from, recorded beside it: the SHA-256 of every file the bundle is made from
// (src/, the bundle's scripts and stand-ins, the package and lock files, tsconfig.json) and of every
// file it holds, in sha256sum's format. `npm run bundle` writes it; the tests check in a moment that
// nothing has changed since, which is the mistake a contributor makes (a change to src/ without a
// rebuild, or a hand edit of dist/). `npm run check-dist`, which CI runs, rebuilds and compares
// byte for byte, which also proves that the bundle still comes out the same.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The record's name in dist/. */
export const RECORD = 'built-from.sha256';

const INPUTS = [
  'src',
  'scripts/bundle.ts',
  'scripts/chunk-names.ts',
  'scripts/dist-record.ts',
  'scripts/eager-modules.ts',
  'scripts/stand-ins.ts',
  'scripts/stand-ins',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((file) => join(path, file))
    .filter((file) => statSync(join(root, file)).isFile());
}

function hashOf(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Each file the bundle in `distDir` is made of or holds, by its path in the repository, and its hash. */
function hashes(root: string, distDir: string): Map<string, string> {
  const inputs = INPUTS.flatMap((path) => filesUnder(root, path)).map((file): [string, string] => [
    file.split('\\').join('/'),
    hashOf(join(root, file)),
  ]);
  // Named as in the repository, wherever this bundle was built.
  const outputs = readdirSync(distDir)
    .filter((file) => file !== RECORD)
    .map((file): [string, string] => [`dist/${file}`, hashOf(join(distDir, file))]);
  return new Map([...inputs, ...outputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The record of `distDir` as built from the project at `root`: one line per file, by path. */
export function recordOf(root: string, distDir: string): string {
  return [...hashes(root, distDir)].map(([path, hash]) => `${hash}  ${path}\n`).join('');
}

/** The files that changed, appeared or went since dist/ at `root` was built, by its record. */
export function changedSinceBuilt(root: string): string[] {
  const distDir = join(root, 'dist');
  const record = existsSync(join(distDir, RECORD)) ? readFileSync(join(distDir, RECORD), 'utf8') : '';
  const recorded = new Map(
    record
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(line.indexOf('  ') + 2), line.slice(0, line.indexOf('  '))]),
  );
  const now = hashes(root, distDir);
  return [...new Set([...recorded.keys(), ...now.keys()])]
    .filter((path) => recorded.get(path) !== now.get(path))
    .sort();
}
