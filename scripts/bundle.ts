// Builds the action into one folder (dist/ unless another is named): ncc bundles src/index.ts,
// minified, into index.js plus the licenses of what it includes. The folder is emptied first, so
// no stale chunk stays behind.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

export function bundle(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  execFileSync(
    'ncc',
    ['build', 'src/index.ts', '-o', outDir, '--minify', '--license', 'licenses.txt', '--quiet'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) bundle(process.argv[2] ?? 'dist');
