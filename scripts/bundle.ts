// Builds the action into one folder (dist/ unless another is named): ncc bundles src/index.ts into
// index.js, a chunk per dynamic import (code that loads only when used), and the licenses of what
// it includes. ncc minifies index.js only, so the chunks are minified here. The folder is emptied
// first, so no stale chunk stays behind.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

export async function bundle(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    'ncc',
    ['build', 'src/index.ts', '-o', outDir, '--minify', '--license', 'licenses.txt', '--quiet'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const file of readdirSync(outDir).filter((name) => /^\d+\.index\.js$/.test(name))) {
    const path = join(outDir, file);
    const minified = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true });
    writeFileSync(path, minified.code ?? '');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bundle(process.argv[2] ?? 'dist');
