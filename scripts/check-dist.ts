// Fails when dist/ is not the bundle of the current src/: rebuilds into a temporary folder and
// compares file by file. Fix with `npm run bundle`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from './bundle.ts';

function read(dir: string, file: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, file));
  } catch {
    return undefined;
  }
}

const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  await bundle(fresh);
  const files = new Set([...readdirSync('dist'), ...readdirSync(fresh)]);
  const stale = [...files].filter((file) => {
    const committed = read('dist', file);
    const built = read(fresh, file);
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
