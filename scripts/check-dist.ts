// Whether dist/ is the bundle of the current src/: rebuilds it and compares file by file.
// `npm run check-dist` says so and fails on a difference; test/project/dist.test.ts runs the same
// check with the tests. Fix with `npm run bundle`. The rebuild runs in a copy of the project whose
// node_modules is hard links to this one's: bundling puts a stand-in into node_modules for a while
// (scripts/bundle.ts), and a test loading @actions/http-client here at that moment would find it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
// What a bundle is made from, besides node_modules.
const SOURCES = ['src', 'scripts', 'package.json', 'tsconfig.json'];

/** A copy of what the bundle is made from, node_modules as hard links (a plain copy where there are none). */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'check-dist-'));
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

function read(dir: string, file: string): Buffer | undefined {
  try {
    return readFileSync(join(dir, file));
  } catch {
    return undefined;
  }
}

/** The files of dist/ that differ from a fresh bundle of src/ (missing, extra or changed). */
export async function staleDistFiles(): Promise<string[]> {
  const copy = projectCopy();
  const fresh = join(copy, 'fresh-dist');
  try {
    // The copy's own ncc: the chunks' names depend on where ncc runs from.
    const path = `${join(copy, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;
    execFileSync(process.execPath, ['scripts/bundle.ts', fresh], {
      cwd: copy,
      env: { ...process.env, PATH: path },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const files = new Set([...readdirSync(DIST), ...readdirSync(fresh)]);
    return [...files].filter((file) => {
      const committed = read(DIST, file);
      const built = read(fresh, file);
      return !committed || !built || !committed.equals(built);
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const stale = await staleDistFiles();
  if (stale.length > 0) {
    console.error(
      `dist/ is not the bundle of src/ (differs: ${stale.join(', ')}). Run \`npm run bundle\` and commit dist/.`,
    );
    process.exit(1);
  }
  console.log('dist/ is the bundle of src/.');
}
