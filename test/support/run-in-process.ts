// Runs the action in this process, as index.ts runs it, with the runner's environment and files that
// scripts/run-action.ts gives a process: the same inputs, files and checks, and the same answer
// (exit code, log, outputs, state, summary, annotations), in milliseconds instead of a process start.
// For the tests of what the action does; what only a process shows (the bundle, signals, the exit
// itself) stays with runAction. @actions/github reads the event into its context when first
// loaded, so the context is read again before each run, as a new process would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { type ActionRun, collectRun, type RunOptions, runnerEnv } from '../../scripts/run-action.ts';
import { runStep } from '../../src/main.ts';

const RUNNER_VARIABLES = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/;

export async function runInProcess(
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'onStart'> = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const env = runnerEnv(inputs, dir, options);
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (RUNNER_VARIABLES.test(name)) delete process.env[name];
  Object.assign(process.env, env);
  const listeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  let log = '';
  const capture = (chunk: string | Uint8Array) => {
    log += String(chunk);
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  process.exitCode = undefined;
  const { context } = await import('@actions/github');
  Object.assign(context, new (context.constructor as new () => object)());
  try {
    await runStep();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!listeners[signal].includes(listener)) process.off(signal, listener);
      }
    }
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return collectRun({ dir, env, log, exitCode, secrets: options.secrets });
}
