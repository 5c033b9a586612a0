// Builds the action into one folder (dist/ unless another is named): ncc bundles src/index.ts into
// index.js, chunks for the dynamic imports (code that loads only when used), named for what they hold
// (chunk-names.ts), and the licenses of what it includes. Every file is minified here, ASCII-only
// and without comments: V8 decodes a file that is all ASCII without the slower UTF-8 path, on every
// start; and its modules are compiled with the file (eager-modules.ts). The folder is emptied
// first, so no stale chunk stays behind. It all happens in a copy of the project whose node_modules
// is hard links to this one's: the stand-ins (stand-ins.ts) go into the copy's node_modules, never
// into the one the tests and the editor are using.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { nameChunks } from './chunk-names.ts';
import { RECORD, recordOf } from './dist-record.ts';
import { eagerModules } from './eager-modules.ts';
import { placeStandIns } from './stand-ins.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// What a bundle is made from, besides node_modules.
const SOURCES = ['src', 'scripts', 'package.json', 'tsconfig.json'];

/** A copy of what the bundle is made from, node_modules as hard links (a plain copy where there are none). */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'bundle-'));
  for (const source of SOURCES) cpSync(join(ROOT, source), join(copy, source), { recursive: true });
  try {
    execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(copy, 'node_modules')], { stdio: 'ignore' });
  } catch {
    cpSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  // Caches are written in place: a hard link would write them into this project's.
  for (const cache of ['.cache', '.vitest-cache'])
    rmSync(join(copy, 'node_modules', cache), { recursive: true, force: true });
  return copy;
}

/**
 * Bundles src/ into `outDir` (emptied first), in a copy of the project; or, for the bench, another
 * entry of the project's.
 */
export async function bundle(outDir: string, entry = 'src/index.ts'): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const root = projectCopy();
  try {
    placeStandIns(root);
    // The copy's own ncc: the chunks' names depend on where ncc runs from.
    const stats = join(root, 'stats.json');
    execFileSync(
      join(root, 'node_modules', '.bin', 'ncc'),
      ['build', entry, '-o', outDir, '--license', 'licenses.txt', '--quiet', '--stats-out', stats],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    nameChunks(outDir, stats);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js'))) {
    const path = join(outDir, file);
    const minified = await minify(readFileSync(path, 'utf8'), {
      module: true,
      compress: true,
      mangle: true,
      format: { ascii_only: true, comments: false },
    });
    writeFileSync(path, eagerModules(minified.code ?? '', file));
  }
  writeFileSync(join(outDir, RECORD), recordOf(ROOT, outDir));
}

if (import.meta.main) await bundle(resolve(process.argv[2] ?? join(ROOT, 'dist')));
