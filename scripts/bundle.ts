// Builds the action into one folder (dist/ unless another is named): ncc bundles src/index.ts into
// index.js, a chunk per dynamic import (code that loads only when used), and the licenses of what
// it includes. ncc minifies index.js only, so every file is minified here, ASCII-only and without
// comments: V8 decodes a file that is all ASCII without the slower UTF-8 path, on every start. The
// folder is emptied first, so no stale chunk stays behind. It all happens in a copy of the project
// whose node_modules is hard links to this one's: the stand-in below goes into the copy's
// node_modules, never into the one the tests and the editor are using.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { RECORD, recordOf } from './dist-record.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// What a bundle is made from, besides node_modules.
const SOURCES = ['src', 'scripts', 'package.json', 'tsconfig.json'];

// A stand-in: @actions/core imports @actions/http-client at start (for the OIDC token), which imports
// undici's index for its ProxyAgent alone, and that evaluates all of undici: about 40 ms of every
// start. While ncc bundles, webpack's nearest-node_modules rule makes @actions/http-client take a
// stand-in from scripts/stand-ins/ instead: it exports only the names the importer uses, each loading
// the real module when first used. The action's own HTTP imports undici's modules one by one
// (src/service/http.ts), and @actions/github, loaded only for the comment, keeps its own http-client
// and all of undici. (Stand-ins for @actions/http-client and @actions/exec inside @actions/core paid
// under 1 ms, measured 2026-12-01, and were removed: one stays only where it pays 5 ms or more.)
interface StandIn {
  /** The package whose imports it answers. */
  importer: string;
  /** The package it stands in for there. */
  name: string;
  /** Its folder under scripts/stand-ins/. */
  folder: string;
}

const STAND_INS: readonly StandIn[] = [
  { importer: '@actions/http-client', name: 'undici', folder: 'undici-for-http-client' },
];

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

function placeOf(root: string, standIn: StandIn): string {
  return join(root, 'node_modules', standIn.importer, 'node_modules', standIn.name);
}

function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * What the importer takes from the package, by module: `{ '': [names], '/lib/auth': [names] }`.
 * Named imports and the members used of a namespace import; any other import of the package is an
 * error, so that nothing it takes goes unchecked.
 */
function importsOf(root: string, standIn: StandIn): Map<string, string[]> {
  const lib = join(root, 'node_modules', standIn.importer, 'lib');
  const specifier = `['"](${escapeForPattern(standIn.name)}(?:/[^'"]*)?)['"]`;
  const taken = new Map<string, string[]>();
  const take = (specified: string, names: string[]) => {
    const module = specified.slice(standIn.name.length);
    taken.set(module, [...(taken.get(module) ?? []), ...names]);
  };
  for (const file of readdirSync(lib).filter((name) => name.endsWith('.js'))) {
    const code = readFileSync(join(lib, file), 'utf8');
    let read = 0;
    for (const [, list = '', module = ''] of code.matchAll(
      new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${specifier}`, 'g'),
    )) {
      take(
        module,
        list
          .split(',')
          .map((name) => name.trim().split(/\s+as\s+/)[0] ?? '')
          .filter(Boolean),
      );
      read++;
    }
    for (const [, alias = '', module = ''] of code.matchAll(
      new RegExp(`import\\s*\\*\\s*as\\s+(\\w+)\\s+from\\s*${specifier}`, 'g'),
    )) {
      take(
        module,
        [...code.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))].map((use) => use[1] ?? ''),
      );
      read++;
    }
    const mentioned = [...code.matchAll(new RegExp(specifier, 'g'))].length;
    if (mentioned !== read) {
      throw new Error(
        `${standIn.importer}/lib/${file} imports ${standIn.name} in a way scripts/bundle.ts does not read: check its stand-in by hand and teach the check.`,
      );
    }
  }
  return taken;
}

function placeStandIn(root: string, standIn: StandIn): void {
  const place = placeOf(root, standIn);
  const manifest = join(place, 'package.json');
  // Left by a bundle that was stopped halfway: the stand-in, not a copy npm installed.
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).standIn === true) {
    rmSync(place, { recursive: true, force: true });
  }
  if (existsSync(place)) {
    throw new Error(
      `${place} exists: npm installed a copy of ${standIn.name} for ${standIn.importer}; its stand-in cannot take its place.`,
    );
  }
  cpSync(join(root, 'scripts', 'stand-ins', standIn.folder), place, { recursive: true });
}

function checkStandIn(root: string, standIn: StandIn): void {
  // Resolved as webpack resolves it, from inside the importer; reading each name loads the real
  // module, so a name the stand-in lacks or leads nowhere fails here.
  const load = createRequire(join(root, 'node_modules', standIn.importer, 'package.json'));
  for (const [module, names] of importsOf(root, standIn)) {
    const exported = load(`${standIn.name}${module}`) as Record<string, unknown>;
    const missing = [...new Set(names)].filter((name) => exported[name] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `${standIn.importer} imports ${missing.join(', ')} from ${standIn.name}${module}, which scripts/stand-ins/${standIn.folder} does not give: add it.`,
      );
    }
  }
}

/** Bundles src/ into `outDir` (emptied first), in a copy of the project. */
export async function bundle(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  const root = projectCopy();
  try {
    // Each is checked alone, loading the real modules behind it (which import the real packages).
    for (const standIn of STAND_INS) {
      placeStandIn(root, standIn);
      try {
        checkStandIn(root, standIn);
      } finally {
        rmSync(placeOf(root, standIn), { recursive: true, force: true });
      }
    }
    for (const standIn of STAND_INS) placeStandIn(root, standIn);
    // The copy's own ncc: the chunks' names depend on where ncc runs from.
    execFileSync(
      join(root, 'node_modules', '.bin', 'ncc'),
      ['build', 'src/index.ts', '-o', outDir, '--minify', '--license', 'licenses.txt', '--quiet'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
    );
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
    writeFileSync(path, minified.code ?? '');
  }
  writeFileSync(join(outDir, RECORD), recordOf(ROOT, outDir));
}

if (import.meta.url === `file://${process.argv[1]}`)
  await bundle(resolve(process.argv[2] ?? join(ROOT, 'dist')));
