// The checks, run beside the tests rather than before them (their processes overlap the tests'
// waits): the type check, Biome (lint and format) and knip (no unused file, export or dependency).
// A failing check's output is the failure message.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHECKS: ReadonlyArray<[name: string, command: string, args: string[]]> = [
  ['the type check (tsc)', 'tsc', ['--noEmit']],
  ['the lint (Biome)', 'biome', ['check', '.']],
  ['the unused code check (knip)', 'knip', []],
];

function runCheck(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(join('node_modules', '.bin', command), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.concurrent('the checks', () => {
  for (const [name, command, args] of CHECKS) {
    it(`${name} passes`, { timeout: 120_000 }, async () => {
      const { code, output } = await runCheck(command, args);
      expect(code, output).toBe(0);
    });
  }
});
