// What a run of the bundle loaded, as test/support/loaded-builtins.cjs (preloaded) lists it: the
// Node modules, where V8's flags were set, and where a WebAssembly module was made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';

/** The runner's environment for a run that lists what it loaded, and that list once it has run. */
export function listingLoadedModules(): { env: Record<string, string>; loaded: () => string[] } {
  const folder = mkdtempSync(join(tmpdir(), 'loaded-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, 'builtins');
  const preload = fileURLToPath(new URL('./loaded-builtins.cjs', import.meta.url));
  return {
    env: { NODE_OPTIONS: `--require "${preload}"`, LOADED_BUILTINS_FILE: file },
    loaded: () => readFileSync(file, 'utf8').split('\n'),
  };
}

/** A V8 flag's default in the Node that runs the tests and the action, as `--v8-options` gives it. */
function v8Default(flag: string): string {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  const found = new RegExp(`default: --${flag}=(\\S+)`).exec(options)?.[1];
  if (!found) throw new Error(`node --v8-options gives no default for --${flag}`);
  return found;
}

/**
 * undici's parser, the run's one WebAssembly module, was made under a raised tiering budget, set
 * back to V8's default at once: V8's flags were set those two times only, and no Node module loaded
 * while they differed from the defaults (it would have been compiled from its source).
 */
export function expectParserMadeUnderRaisedBudget(loaded: readonly string[]): void {
  const made = loaded.filter((line) => /^(FLAGS|WASM_MODULE)/.test(line));
  const defaultBudget = v8Default('wasm-tiering-budget');
  expect(made).toEqual([
    expect.stringMatching(/^FLAGS --wasm-tiering-budget=\d+$/),
    'WASM_MODULE',
    `FLAGS --wasm-tiering-budget=${defaultBudget}`,
  ]);
  expect(made[0]).not.toBe(`FLAGS --wasm-tiering-budget=${defaultBudget}`);
  const start = loaded.indexOf(made[0] ?? '');
  expect(loaded.slice(start, start + 3)).toEqual(made);
}
