// Builds the action into one folder (dist/ unless another is named): ncc bundles src/index.ts into
// index.js, a chunk per dynamic import (code that loads only when used), and the licenses of what
// it includes. ncc minifies index.js only, so every file is minified here, ASCII-only and without
// comments: V8 decodes a file that is all ASCII without the slower UTF-8 path, on every start. The
// folder is emptied first, so no stale chunk stays behind.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { minify } from 'terser';

// @actions/http-client (which @actions/core loads at start, for the OIDC token) imports undici's
// index for its ProxyAgent alone, and undici's index evaluates all of undici: about 40 ms of every
// start. While ncc bundles, webpack's nearest-node_modules rule makes it take this stand-in instead,
// which exports only what http-client imports; the action's own HTTP imports undici's modules one by
// one (src/http.ts), and @actions/github, loaded only for the comment, keeps the whole of undici.
const HTTP_CLIENT = 'node_modules/@actions/http-client';
const STAND_IN = 'scripts/undici-for-http-client';
const STAND_IN_PLACE = join(HTTP_CLIENT, 'node_modules', 'undici');

/** The names @actions/http-client imports from undici; the stand-in must export each. */
function undiciImportsOfHttpClient(): string[] {
  const lib = join(HTTP_CLIENT, 'lib');
  return readdirSync(lib)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) =>
      [
        ...readFileSync(join(lib, file), 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]undici['"]/g),
      ].flatMap((match) => (match[1] ?? '').split(',').map((name) => name.trim().split(/\s+as\s+/)[0] ?? '')),
    )
    .filter(Boolean);
}

function placeStandIn(): void {
  // Left by a bundle that was stopped halfway: the stand-in, not a second undici.
  if (existsSync(join(STAND_IN_PLACE, 'index.cjs'))) rmSync(STAND_IN_PLACE, { recursive: true, force: true });
  if (existsSync(STAND_IN_PLACE)) {
    throw new Error(
      `${STAND_IN_PLACE} exists: npm installed a second undici; the stand-in cannot take its place.`,
    );
  }
  if (!existsSync('node_modules/undici/lib/dispatcher/proxy-agent.js')) {
    throw new Error('node_modules/undici is not where the stand-in for @actions/http-client expects it.');
  }
  cpSync(STAND_IN, STAND_IN_PLACE, { recursive: true });
  const exported = Object.keys(createRequire(import.meta.url)(`../${STAND_IN_PLACE}/index.cjs`));
  const missing = undiciImportsOfHttpClient().filter((name) => !exported.includes(name));
  if (missing.length > 0) {
    rmSync(STAND_IN_PLACE, { recursive: true, force: true });
    throw new Error(
      `@actions/http-client imports ${missing.join(', ')} from undici, which ${STAND_IN}/index.cjs does not export: add it.`,
    );
  }
}

export async function bundle(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  placeStandIn();
  try {
    execFileSync(
      'ncc',
      ['build', 'src/index.ts', '-o', outDir, '--minify', '--license', 'licenses.txt', '--quiet'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } finally {
    rmSync(STAND_IN_PLACE, { recursive: true, force: true });
  }
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js'))) {
    const path = join(outDir, file);
    const minified = await minify(readFileSync(path, 'utf8'), {
      module: true,
      compress: true,
      mangle: true,
      format: { ascii_only: true, comments: false },
    });
    writeFileSync(path, minified.code ?? '');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bundle(process.argv[2] ?? 'dist');
