// Stand-ins, put into the copy of the project that scripts/bundle.ts bundles (never into this
// project's node_modules): code that a package loads at start for what the action never or rarely
// uses, replaced by code that loads the real thing when first used (or a statement edited to do so).
// One stays only where it pays 5 ms or more of a start, measured.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const STAND_INS_FOLDER = new URL('./stand-ins/', import.meta.url);

// A package stand-in: while ncc bundles, webpack's nearest-node_modules rule makes the importer take
// a stand-in from scripts/stand-ins/ instead of the package: it exports only the names the importer
// uses, each loading the real module when first used.
// - @actions/core imports @actions/http-client at start (for the OIDC token, which the action gets
//   itself), which imports undici's index for its ProxyAgent alone, and that evaluates all of undici:
//   about 40 ms. @actions/github, loaded only for the comment, keeps its own http-client and undici.
// - @actions/core imports @actions/http-client and @actions/exec (for platform details the action
//   never asks for), and with them tunnel, node:https and node:child_process: about 8 ms of a cold
//   start on loopback (measured 2026-12-06, @actions/core loading after the first request; with it
//   before, alongside undici's own loading, they measured under 1 ms and were taken out a while).
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
  { importer: '@actions/core', name: '@actions/http-client', folder: 'http-client-for-core' },
  { importer: '@actions/core', name: '@actions/exec', folder: 'exec-for-core' },
];

// A module edit rewrites one statement of a package's module in the copy, so that what it loads at
// start loads when first used, or so that the action can make when it chooses what the package makes
// when first used; the statement must be there exactly once, or the bundle fails, to be looked at.
// - undici's client requires its HTTP/2 client at start, and with it node:http2, which loads
//   node:tls and node:crypto: about 10 ms of a start over plain HTTP, 3 ms over HTTPS (measured
//   2026-12-06, before the first request). Only a connection on which the service chooses HTTP/2
//   calls it, and requires it then. test/e2e/early-connection.test.ts checks through the bundle
//   that node:http2 loads for such a service and for no other (were undici to require it elsewhere).
// - @actions/core's summary.js reads fs.promises at import, which loads node:fs/promises and
//   node:readline: about 5 ms of a cold start on loopback (0.955×, measured 2026-12-06, with the job
//   summary written without them by github/runner.ts; 1.00× 20 ms away, where the rest loads while
//   the answer is on its way). Edited to read them when called, core.summary works as before.
// - @actions/core's file-command.js imports node:crypto at import, for the random delimiter of
//   core.setOutput: about 9 ms of a cold start on loopback over plain HTTP, where nothing else loads
//   it (0.89–0.92×, measured 2026-12-06, with the outputs written without it by github/runner.ts;
//   1.00× over HTTPS, where node:tls loads it anyway; 0.99× 20 ms away). Edited to load it when
//   called, core's file commands work as before.
// - undici makes its HTTP/1 parser (llhttp, in WebAssembly) at its first HTTP/1 connection, to any
//   host (the service, Microsoft Entra, GitHub). Edited to make it through `connectH1.makeParser`
//   when one is set, so that service/http-parser.ts can make it under the V8 flag its WebAssembly
//   tiering budget needs and set the flag back at once (it says why).
interface ModuleEdit {
  /** The module's path from node_modules. */
  module: string;
  /** The statement, exactly as the module has it. */
  statement: string;
  /** What takes its place. */
  replacement: string;
}

const MODULE_EDITS: readonly ModuleEdit[] = [
  {
    module: 'undici/lib/dispatcher/client.js',
    statement: "const connectH2 = require('./client-h2.js')",
    replacement: "const connectH2 = (client, socket) => require('./client-h2.js')(client, socket)",
  },
  {
    module: '@actions/core/lib/summary.js',
    statement: 'const { access, appendFile, writeFile } = promises;',
    replacement:
      'const access = (...args) => promises.access(...args), appendFile = (...args) => promises.appendFile(...args), writeFile = (...args) => promises.writeFile(...args);',
  },
  {
    module: 'undici/lib/dispatcher/client-h1.js',
    statement: 'llhttpInstance = lazyllhttp()',
    replacement: 'llhttpInstance = connectH1.makeParser ? connectH1.makeParser(lazyllhttp) : lazyllhttp()',
  },
  {
    module: '@actions/core/lib/file-command.js',
    statement: "import * as crypto from 'crypto';",
    replacement: "const crypto = { randomUUID: () => process.getBuiltinModule('node:crypto').randomUUID() };",
  },
];

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
  // The copy is new for each bundle: anything there is a copy npm installed.
  if (existsSync(place)) {
    throw new Error(
      `${place} exists: npm installed a copy of ${standIn.name} for ${standIn.importer}; its stand-in cannot take its place.`,
    );
  }
  cpSync(new URL(`${standIn.folder}/`, STAND_INS_FOLDER), place, { recursive: true });
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

/** Puts every stand-in into the project copy at `root`, each checked against what it stands in for. */
export function placeStandIns(root: string): void {
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
  for (const edit of MODULE_EDITS) editModule(root, edit);
}

function editModule(root: string, edit: ModuleEdit): void {
  const path = join(root, 'node_modules', edit.module);
  const code = readFileSync(path, 'utf8');
  const found = code.split(edit.statement).length - 1;
  if (found !== 1) {
    throw new Error(
      `${edit.module} holds ${JSON.stringify(edit.statement)} ${found} times, not once: check its edit in scripts/stand-ins.ts by hand.`,
    );
  }
  // Written anew, not over: in the copy, the file is a hard link to this project's.
  rmSync(path);
  writeFileSync(path, code.replace(edit.statement, edit.replacement));
}
