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
  'scripts/dist-record.ts',
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

function lineOf(path: string, name: string): string {
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  return `${hash}  ${name.split('\\').join('/')}`;
}

/** The record of `distDir` as built from the project at `root`: one line per file, sorted. */
export function recordOf(root: string, distDir: string): string {
  const inputs = INPUTS.flatMap((path) => filesUnder(root, path)).map((file) =>
    lineOf(join(root, file), file),
  );
  // Named as in the repository, wherever this bundle was built.
  const outputs = readdirSync(distDir)
    .filter((file) => file !== RECORD)
    .map((file) => lineOf(join(distDir, file), `dist/${file}`));
  const lines = [...inputs, ...outputs].sort((a, b) => {
    const [pathA, pathB] = [a.slice(66), b.slice(66)];
    return pathA < pathB ? -1 : pathA > pathB ? 1 : 0;
  });
  return `${lines.join('\n')}\n`;
}

/** The files that changed, appeared or went since dist/ at `root` was built, by its record. */
export function changedSinceBuilt(root: string): string[] {
  const distDir = join(root, 'dist');
  const recorded = existsSync(join(distDir, RECORD)) ? readFileSync(join(distDir, RECORD), 'utf8') : '';
  const entries = (text: string) => new Set(text.split('\n').filter(Boolean));
  const [was, now] = [entries(recorded), entries(recordOf(root, distDir))];
  const differing = [...was]
    .filter((line) => !now.has(line))
    .concat([...now].filter((line) => !was.has(line)));
  return [...new Set(differing.map((line) => line.slice(66)))].sort();
}
