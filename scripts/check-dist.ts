// Whether dist/ is the bundle of the current src/: rebuilds into a temporary folder and compares
// file by file, the record of what it was built from included. `npm run check-dist` says so and fails
// on a difference; CI runs it after the tests, which check dist/ by that record only
// (scripts/dist-record.ts). Fix with `npm run bundle`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from './bundle.ts';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

function read(dir: string, file: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, file));
  } catch {
    return undefined;
  }
}

/** The files of dist/ that differ from a fresh bundle of src/ (missing, extra or changed). */
async function staleDistFiles(): Promise<string[]> {
  const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));
  try {
    await bundle(fresh);
    const files = new Set([...readdirSync(DIST), ...readdirSync(fresh)]);
    return [...files].filter((file) => {
      const committed = read(DIST, file);
      const built = read(fresh, file);
      return !committed || !built || !committed.equals(built);
    });
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const stale = await staleDistFiles();
  if (stale.length > 0) {
    console.error(
      `dist/ is not the bundle of src/ (differs: ${stale.join(', ')}). Run \`npm run bundle\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is the bundle of src/.');
}
