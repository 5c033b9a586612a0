// Names the bundle's chunks for what they hold, instead of ncc's numbers (`503.index.js`): a chunk a
// dynamic import names (`import(/* webpackChunkName: "rest" */ …)`) takes that name; one webpack
// split off to share between several takes the names of the imports that load it, then the
// packages it holds, largest first (`first-request+rest.zod+undici.js`). Read from webpack's stats
// (ncc --stats-out); the runtime's one line that makes a chunk's file name is rewritten to match.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StatsModule {
  name: string;
  size: number;
  modules?: StatsModule[];
}

interface Stats {
  chunks: { id: number | string; names: string[]; initial: boolean; modules?: StatsModule[] }[];
  namedChunkGroups: Record<string, { chunks: (number | string)[] }>;
}

// How ncc's runtime makes a chunk's file name, which the renaming replaces.
const RUNTIME_FILE_NAME = 'return "" + chunkId + ".index.js";';
// The packages a split chunk's name lists at most.
const NAMED_PACKAGES = 2;

function modulesOf(modules: readonly StatsModule[] = []): StatsModule[] {
  return modules.flatMap((module) => (module.modules ? modulesOf(module.modules) : [module]));
}

/** A module's package, as a file name can hold it (`@actions/core` is `actions-core`), or `src`. */
function packageOf(module: StatsModule): string {
  const path = module.name.split('node_modules/').at(-1) ?? '';
  if (path === module.name) return 'src';
  const parts = path.split('/');
  const name = parts[0]?.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  return name.replace('@', '').replace('/', '-');
}

/** Each chunk's new name, by its id. */
function chunkNames(stats: Stats): Map<string, string> {
  const names = new Map<string, string>();
  for (const chunk of stats.chunks) {
    if (chunk.initial) continue;
    const [own] = chunk.names;
    if (own) {
      names.set(String(chunk.id), own);
      continue;
    }
    const groups = Object.entries(stats.namedChunkGroups)
      .filter(([, group]) => group.chunks.some((id) => String(id) === String(chunk.id)))
      .map(([name]) => name)
      .sort();
    const sizes = new Map<string, number>();
    for (const module of modulesOf(chunk.modules)) {
      const name = packageOf(module);
      sizes.set(name, (sizes.get(name) ?? 0) + module.size);
    }
    const held = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, NAMED_PACKAGES);
    names.set(String(chunk.id), `${groups.join('+')}.${held.map(([name]) => name).join('+')}`);
  }
  const taken = [...names.values()];
  const twice = taken.filter((name, index) => taken.indexOf(name) !== index);
  if (twice.length > 0)
    throw new Error(`Two chunks would be named ${twice[0]}: name the imports that load them.`);
  return names;
}

/** Renames the chunks ncc wrote to `outDir` (its entry, index.js, keeps its name). */
export function nameChunks(outDir: string, statsFile: string): void {
  const names = chunkNames(JSON.parse(readFileSync(statsFile, 'utf8')) as Stats);
  const entry = join(outDir, 'index.js');
  const runtime = readFileSync(entry, 'utf8');
  if (runtime.split(RUNTIME_FILE_NAME).length !== 2) {
    throw new Error(
      `ncc's runtime no longer names chunks with ${RUNTIME_FILE_NAME}: teach scripts/chunk-names.ts its new form.`,
    );
  }
  const table = JSON.stringify(Object.fromEntries(names));
  writeFileSync(entry, runtime.replace(RUNTIME_FILE_NAME, `return ${table}[chunkId] + ".js";`));
  for (const [id, name] of names) renameSync(join(outDir, `${id}.index.js`), join(outDir, `${name}.js`));
}
