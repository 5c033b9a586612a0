// Fails when dist/ is not the bundle of the current src/: rebuilds into a temporary folder and
// compares file by file. Fix with `npm run bundle`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  execFileSync('npm', ['run', '-s', 'bundle', '--', '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  const files = new Set([...readdirSync('dist'), ...readdirSync(fresh)]);
  const stale = [...files].filter((file) => {
    const read = (dir: string) => {
      try {
        return readFileSync(join(dir, file));
      } catch {
        return undefined;
      }
    };
    const committed = read('dist');
    const built = read(fresh);
    return !committed || !built || !committed.equals(built);
  });
  if (stale.length > 0) {
    console.error(
      `dist/ is not the bundle of src/ (differs: ${stale.join(', ')}). Run \`npm run bundle\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is the bundle of src/.');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
