// Runs the bundled action exactly as a runner does: `node dist/index.js` with an INPUT_* variable
// for every input that has a default (and those given), and a GITHUB_OUTPUT file.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionYml } from './action-yml.ts';

const ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface ActionRun {
  exitCode: number | null;
  /** Everything the action printed to stdout and stderr. */
  log: string;
  outputs: Record<string, string>;
  errors: string[];
  warnings: string[];
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Called once the process is running, e.g. to signal it. */
  onStart?: (child: ReturnType<typeof spawn>) => void;
}

/** Reads a GITHUB_OUTPUT file: `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
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

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const outputFile = join(dir, 'output');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, input] of Object.entries(readActionYml().inputs)) {
    if (input.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = input.default;
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;

  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  options.onStart?.(child);
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    exitCode,
    log,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    errors: annotations(log, 'error'),
    warnings: annotations(log, 'warning'),
  };
}
