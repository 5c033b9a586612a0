// The shape of src/ that CONTRIBUTING ("Where things are") describes: shallow imports, small
// modules, common/ and the runner adapter apart from the domain, and a map that names every module.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
// Static imports and re-exports (type-only ones too) and dynamic imports of the action's own modules
// (with the chunk's name before the path, as the bundle's imports give it).
const RELATIVE_IMPORT = /\bfrom\s+'(\.[^']+)'|\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?'(\.[^']+)'\s*\)/g;
// Static imports of values: what evaluates with the module that imports it.
const VALUE_IMPORT = /^import\s+(?!type\b)[^;]*?\bfrom\s+'(\.[^']+)'/gm;

const modules = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.split('\\').join('/'))
  .sort();

function importsOf(module: string): string[] {
  const text = readFileSync(join(SRC, module), 'utf8');
  return [...text.matchAll(RELATIVE_IMPORT)].map((match) =>
    relative(SRC, resolve(dirname(join(SRC, module)), match[1] ?? match[2] ?? '')),
  );
}

/** The longest chain of imports that starts at `module`, modules named from src/. */
function longestChain(module: string, seen: readonly string[] = []): string[] {
  if (seen.includes(module)) throw new Error(`an import cycle: ${[...seen, module].join(' → ')}`);
  const chains = importsOf(module).map((imported) => longestChain(imported, [...seen, module]));
  const longest = chains.reduce<string[]>((best, chain) => (chain.length > best.length ? chain : best), []);
  return [module, ...longest];
}

/** Every module that evaluates with `module`, by its static value imports. */
function loadedWith(module: string, seen = new Set<string>()): Set<string> {
  seen.add(module);
  const text = readFileSync(join(SRC, module), 'utf8');
  for (const match of text.matchAll(VALUE_IMPORT)) {
    const imported = relative(SRC, resolve(dirname(join(SRC, module)), match[1] ?? ''));
    if (!seen.has(imported)) loadedWith(imported, seen);
  }
  return seen;
}

describe('src/', () => {
  it('imports at most five deep from index.ts, type imports and dynamic ones counted', () => {
    const chain = longestChain('index.ts');
    expect(chain.length - 1, chain.join(' → ')).toBeLessThanOrEqual(5);
  });

  it('finds every module it imports', () => {
    const missing = modules.flatMap((module) =>
      importsOf(module)
        .filter((imported) => !modules.includes(imported))
        .map((imported) => `${module} → ${imported}`),
    );
    expect(missing).toEqual([]);
  });

  it('has no module over 300 lines', () => {
    const long = modules.filter((module) => readFileSync(join(SRC, module), 'utf8').split('\n').length > 301);
    expect(long).toEqual([]);
  });

  it('keeps common/ free of the rest, and the runner adapter on common/ alone', () => {
    const commonImports = modules
      .filter((module) => module.startsWith('common/'))
      .flatMap((module) => importsOf(module).map((imported) => `${module} → ${imported}`))
      .filter((line) => !line.includes('→ common/'));
    expect(commonImports).toEqual([]);
    for (const adapter of ['github/runner.ts', 'github/runner-start.ts']) {
      expect(importsOf(adapter).filter((imported) => !imported.startsWith('common/'))).toEqual([]);
    }
    const core = modules.filter((module) =>
      readFileSync(join(SRC, module), 'utf8').includes("from '@actions/core'"),
    );
    expect(core).toEqual(['github/runner.ts']);
  });

  it('loads neither @actions/core nor the report before the first request, nor undici before its connection opens', () => {
    const settingsFirst = [...loadedWith('main.ts')];
    const work = [...loadedWith('service/connection.ts'), ...loadedWith('modes/cancel-named.ts')];
    expect(settingsFirst).toContain('service/early-connection.ts');
    expect(settingsFirst).not.toContain('service/http.ts');
    expect(work).toContain('service/http.ts');
    expect(
      [...settingsFirst, ...work].filter((module) =>
        /^(report\/|publish\.ts|github\/runner\.ts)/.test(module),
      ),
    ).toEqual([]);
  });

  it("is the map CONTRIBUTING draws: its table names every module, in its folder's row, and no other", () => {
    const contributing = readFileSync(resolve(SRC, '../CONTRIBUTING.md'), 'utf8');
    const section = contributing.slice(
      contributing.indexOf('## Where things are'),
      contributing.indexOf('\n## ', contributing.indexOf('## Where things are') + 1),
    );
    const named = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((row) => {
        const folder = /^\| `([a-z-]+)\/`/.exec(row)?.[1];
        const files = [...row.matchAll(/`([a-z-]+(?:\.d)?\.ts)`/g)].map((match) => match[1]);
        return files.map((file) => (folder ? `${folder}/${file}` : file));
      });
    expect([...new Set(named)].sort()).toEqual(modules);
  });
});
