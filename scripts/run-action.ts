// Runs the bundled action exactly as a runner does: `node dist/index.js` with an INPUT_* variable
// for every input that has a default (and those given), and a GITHUB_OUTPUT file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { urlUserinfo } from '../src/common/user-errors.ts';
import { readActionYml } from './action-yml.ts';

/**
 * What runs: the bundle, as on a runner; with ACTION_ENTRY=src/index.ts, the sources themselves
 * (Node 24 runs TypeScript), for the loop of editing src/ with no bundle in between.
 */
export const ACTION_ENTRY = process.env.ACTION_ENTRY
  ? resolve(process.env.ACTION_ENTRY)
  : fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const FAKE_GITHUB_TOKEN = 'ghs_fakeWorkflowToken0123456789';
const COMPILE_CACHE = join(tmpdir(), 'cancel-document-translation-test-compile-cache');

export interface ActionRun {
  exitCode: number | null;
  /** What the step saved for its post step (GITHUB_STATE). */
  state: Record<string, string>;
  /** The job summary it wrote (GITHUB_STEP_SUMMARY). */
  summary: string;
  /** Everything the action printed to stdout and stderr. */
  log: string;
  outputs: Record<string, string>;
  errors: string[];
  warnings: string[];
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Run as the post step, with what the main step saved. */
  state?: Record<string, string>;
  /** Called once the process is running, e.g. to signal it. */
  onStart?: (child: ReturnType<typeof spawn>) => void;
  /** Secrets besides the inputs' (tokens the step obtains), which it must not write either. */
  secrets?: string[];
}

/** Reads a GITHUB_OUTPUT or GITHUB_STATE file: `name<<delimiter` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

function annotations(log: string, kind: 'error' | 'warning'): string[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith(`::${kind}`))
    .map((line) => line.slice(line.indexOf('::', 2) + 2));
}

const FILES = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' };

/**
 * The environment a runner gives the action: an INPUT_* variable for every input that has a default
 * and for those given, and the runner's files, created empty in `dir`.
 */
export function runnerEnv(
  inputs: Record<string, string>,
  dir: string,
  options: Omit<RunOptions, 'onStart'> = {},
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: dir };
  for (const [variable, file] of Object.entries(FILES)) {
    env[variable] = join(dir, file);
    writeFileSync(join(dir, file), '');
  }
  Object.assign(env, options.env);
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  for (const [name, input] of Object.entries(readActionYml().inputs)) {
    // The runner evaluates expressions in defaults; the workflow token is the only one.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression as action.yml writes it
    const value = input.default === '${{ github.token }}' ? FAKE_GITHUB_TOKEN : input.default;
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  // The tests start the bundle hundreds of times: Node's compile cache spares each run compiling it
  // again. What a run does is the same; only `npm run bench`, which times cold starts, goes without.
  const env = { NODE_COMPILE_CACHE: COMPILE_CACHE, ...runnerEnv(inputs, dir, options) };

  const child = spawn(process.execPath, [ACTION_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  options.onStart?.(child);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return collectRun({ dir, env, log, exitCode, secrets: options.secrets });
}

/**
 * What a finished run left: its exit code and log, and the files of `dir` read back, after checking
 * that no secret it was given appears in any of them.
 */
export function collectRun(run: {
  dir: string;
  env: Record<string, string>;
  log: string;
  exitCode: number | null;
  secrets?: string[];
}): ActionRun {
  const { dir, env, log, exitCode } = run;
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const written = { log, outputs: read('output'), summary: read('summary') };
  expectNoSecretWritten(written, givenSecrets(env, run.secrets));
  return {
    exitCode,
    log,
    state: parseOutputFile(read('state')),
    summary: written.summary,
    outputs: parseOutputFile(written.outputs),
    errors: annotations(log, 'error'),
    warnings: annotations(log, 'warning'),
  };
}

/** The secrets a run was given: the credential inputs, the workflow token, any password in a URL input. */
function givenSecrets(env: Record<string, string>, extra: readonly string[] = []): string[] {
  const input = (name: string) => env[`INPUT_${name.toUpperCase()}`] ?? '';
  const urls = ['endpoint', 'job-id', 'operation-location', 'authority-host'].map(input).join('\n');
  const secrets = [input('subscription-key'), input('access-token'), input('github-token')];
  return [...secrets, ...urlUserinfo(urls), ...extra].map((secret) => secret.trim()).filter(Boolean);
}

/**
 * Fails the test when a secret appears anywhere the action writes: the log (but for the runner's
 * own `::add-mask::` commands), the outputs or the job summary. Every run is checked.
 */
function expectNoSecretWritten(
  written: { log: string; outputs: string; summary: string },
  secrets: readonly string[],
): void {
  const log = written.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const places = { log, outputs: written.outputs, summary: written.summary };
  for (const [place, text] of Object.entries(places)) {
    const index = secrets.findIndex((secret) => text.includes(secret));
    if (index >= 0) throw new Error(`The action wrote secret number ${index + 1} into its ${place}.`);
  }
}
