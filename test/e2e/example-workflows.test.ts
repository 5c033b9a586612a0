// The example workflows' own shell steps, run as the runner runs them (`shell: bash` is
// `bash --noprofile --norc -eo pipefail`), against the emulator having a bad minute: the wait must ride
// out 503s, 429s, a cut connection and an answer with no status, and end on the batch's own status.
// Only `sleep` is made short (a stand-in first on PATH); the scripts run as a user copies them.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Emulator } from '../../scripts/emulator/emulator.ts';

interface Step {
  id?: string;
  name?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string | number>;
}

const EXAMPLES = new URL('../../examples/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, EXAMPLES), 'utf8');

/** Every example's shell steps, job by job. */
const shellSteps = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith('.yml'))
  .flatMap((file) => {
    const workflow = parse(read(file)) as { jobs: Record<string, { steps: Step[] }> };
    return Object.values(workflow.jobs).map((job) => ({ file, steps: job.steps.filter((step) => step.run) }));
  })
  .filter((job) => job.steps.length > 0);
const starting = shellSteps.filter((job) => job.steps.some((step) => step.id === 'start'));
const waiting = shellSteps.filter((job) =>
  job.steps.some((step) => step.name === 'Wait for the translation'),
);

/** What a bad minute at the gateway looks like to a status read, in order. */
const BAD_MINUTE = [
  { method: 'GET' as const, status: 503, times: 2 },
  { method: 'GET' as const, status: 429, times: 2, headers: { 'retry-after': '1' } },
  { method: 'GET' as const, status: 502, truncate: true },
  { method: 'GET' as const, status: 200, body: '<html>upstream busy</html>', contentType: 'text/html' },
];

interface StepRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

let emulator: Emulator;
let workspace: string;

beforeEach(async () => {
  // The batch moves on as it is read, not by the clock: its first status read finds it Running and
  // the next Succeeded, however slow the machine.
  emulator = new Emulator({ startedBatches: { runningAfterReads: 0, succeededAfterReads: 1 } });
  await emulator.start();
  workspace = mkdtempSync(join(tmpdir(), 'example-'));
  mkdirSync(join(workspace, '.github'));
  copyFileSync(
    new URL('translation-request.json', EXAMPLES),
    join(workspace, '.github/translation-request.json'),
  );
  mkdirSync(join(workspace, 'bin'));
  writeFileSync(join(workspace, 'bin/sleep'), '#!/bin/sh\nexec /bin/sleep 0.05\n');
  chmodSync(join(workspace, 'bin/sleep'), 0o755);
});

afterEach(async () => {
  await emulator.stop();
});

/** The value of a step's `env:` entry, with the expressions the examples use filled in. */
function resolve(value: string | number, outputs: Record<string, Record<string, string>>): string {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'vars.TRANSLATOR_ENDPOINT') return emulator.url;
    if (expression === 'secrets.TRANSLATOR_KEY') return emulator.subscriptionKey;
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    const found = output && outputs[output[1] ?? '']?.[output[2] ?? ''];
    if (found !== undefined && found !== null) return found;
    throw new Error(`the test does not know the expression \${{ ${expression} }}`);
  });
}

function runStep(
  step: Step,
  outputs: Record<string, Record<string, string>>,
  env: Record<string, string> = {},
): Promise<StepRun> {
  const script = join(workspace, 'step.sh');
  const outputFile = join(workspace, 'github-output');
  writeFileSync(script, step.run ?? '');
  writeFileSync(outputFile, '');
  const stepEnv = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => [name, resolve(value, outputs)]),
  );
  return new Promise((done) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', script],
      {
        cwd: workspace,
        env: {
          PATH: `${join(workspace, 'bin')}:${process.env.PATH ?? ''}`,
          GITHUB_OUTPUT: outputFile,
          ...stepEnv,
          ...env,
        },
      },
      (error, stdout, stderr) => {
        if (step.id) {
          const lines = readFileSync(outputFile, 'utf8').split('\n').filter(Boolean);
          outputs[step.id] = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
        }
        done({ exitCode: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

async function runJob(steps: Step[]): Promise<StepRun[]> {
  const outputs: Record<string, Record<string, string>> = {};
  const runs: StepRun[] = [];
  for (const step of steps) {
    const run = await runStep(step, outputs);
    runs.push(run);
    if (run.exitCode !== 0) break;
  }
  return runs;
}

function waitStep(file: string): Step {
  const job = waiting.find((candidate) => candidate.file === file);
  const step = job?.steps.find((candidate) => candidate.name === 'Wait for the translation');
  if (!step) throw new Error(`${file} has no wait step`);
  return step;
}

describe('the example workflows, as copied', () => {
  it('have shell steps to run: three start a translation and two of them wait for it', () => {
    expect(shellSteps.map((job) => job.file).sort()).toEqual([
      'cancel-by-hand.yml',
      'cleanup-when-cancelled.yml',
      'guard.yml',
      'translate-on-pr.yml',
    ]);
    expect(starting.map((job) => job.file).sort()).toEqual([
      'cleanup-when-cancelled.yml',
      'guard.yml',
      'translate-on-pr.yml',
    ]);
    expect(waiting.map((job) => job.file).sort()).toEqual(['cleanup-when-cancelled.yml', 'guard.yml']);
  });

  it.each(shellSteps)(
    '$file: every shell step is bash, unconditional, with secrets only in env',
    ({ steps }) => {
      for (const step of steps) {
        expect(step.shell).toBe('bash');
        expect(step.if).toBeUndefined();
        expect(step.run).not.toContain('${{');
      }
    },
  );

  it.each(starting)(
    '$file: its steps start a translation and see it through a bad minute',
    async ({ steps }) => {
      for (const fault of BAD_MINUTE) emulator.addFault(fault);

      const runs = await runJob(steps);

      expect(runs.map((run) => run.exitCode)).toEqual(steps.map(() => 0));
      const started = emulator.requests.filter((request) => request.method === 'POST');
      expect(started).toHaveLength(1);
      if (steps.some((step) => step.name === 'Wait for the translation')) {
        const wait = runs.at(-1)?.stdout ?? '';
        expect(wait).toContain('No status this time (HTTP 503)');
        expect(wait).toContain('No status this time (HTTP 429)');
        expect(wait).toContain('No status this time (HTTP 502)');
        expect(runs.at(-1)?.stderr).toMatch(/curl: \(18\)/);
        expect(wait).toContain('No status this time (HTTP 200)');
        expect(wait).toContain('Running');
        expect(wait.trim().split('\n').at(-1)).toBe('The translation succeeded.');
        const reads = emulator.requests.filter((request) => request.method === 'GET');
        expect(reads.at(-1)?.status).toBe(200);
      }
    },
  );

  it.each(waiting)(
    '$file: a batch someone else cancelled ends the wait, failed, with its status',
    async ({ file }) => {
      const id = emulator.addBatch({ status: 'Cancelled' });
      const location = `${emulator.url}/translator/document/batches/${id}?api-version=2024-05-01`;

      const run = await runStep(waitStep(file), { start: { 'operation-location': location } });

      expect(run.exitCode).toBe(1);
      expect(run.stdout.trim().split('\n').at(-1)).toBe('::error::The translation ended Cancelled.');
    },
  );

  it.each(waiting)(
    '$file: the wait ends at its time, failed, however often the service says 503',
    async ({ file }) => {
      emulator.addFault({ method: 'GET', status: 503, times: 1_000 });
      const id = emulator.addBatch({ status: 'Running' });
      const location = `${emulator.url}/translator/document/batches/${id}?api-version=2024-05-01`;

      const run = await runStep(
        waitStep(file),
        { start: { 'operation-location': location } },
        { WAIT_SECONDS: '2' },
      );

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('No status this time (HTTP 503)');
      expect(run.stdout.trim().split('\n').at(-1)).toBe(
        '::error::The translation did not finish in 2 seconds.',
      );
    },
  );

  it.each(waiting)(
    '$file: a wrong key ends the wait at once, failed, saying what to check',
    async ({ file }) => {
      const id = emulator.addBatch({ status: 'Running' });
      const location = `${emulator.url}/translator/document/batches/${id}?api-version=2024-05-01`;

      const run = await runStep(
        { ...waitStep(file), env: { ...waitStep(file).env, KEY: 'not-the-key' } },
        { start: { 'operation-location': location } },
      );

      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(
        '::error::The service answered HTTP 401: check the key and the Operation-Location.',
      );
      expect(emulator.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
    },
  );

  it('translate-on-pr.yml: on a pull request that gets no secrets (a fork, Dependabot), the start says so and passes, and nothing is recorded', async () => {
    const workflow = parse(read('translate-on-pr.yml')) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const start = steps.find((step) => step.id === 'start');
    const record = steps.find((step) => step.name === 'Record it on the pull request');

    const run = await runStep(start ?? {}, {}, { KEY: '', ENDPOINT: '' });

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('::notice::No TRANSLATOR_KEY in this run');
    expect(emulator.requests).toEqual([]);
    expect(record?.if).toBe("steps.start.outputs.operation-location != ''");
  });
});
