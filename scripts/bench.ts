// `npm run bench`: the action against its floor, side by side, on the emulator. Each timing is the
// median of interleaved pairs (the action and the floor take turns going first), so that a slow
// moment of the machine falls on both sides alike. Prints a table; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Emulator } from './emulator/emulator.ts';
import { ACTION_ENTRY, runnerEnv } from './run-action.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BULK_BATCHES = 1_000;
const RSS_BATCHES = 10_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const FLOOR_CANCEL = here('./bench/floor-cancel.mjs');
const FLOOR_BULK = here('./bench/floor-bulk.mjs');
const MAX_RSS = here('./bench/max-rss.mjs');

interface Measure {
  ms: number;
  rssKb: number;
}

/** Runs one script as the runner runs the action; its wall time from spawn to exit, and its peak RSS. */
async function measure(
  script: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const rssFile = join(dir, 'rss');
  const env = { ...runnerEnv(inputs, dir), BENCH_RSS_FILE: rssFile, ...extraEnv };
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', MAX_RSS, script], { env, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return { ms, rssKb: Number(readFileSync(rssFile, 'utf8')) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `runs` interleaved pairs; `prepare` makes fresh work for each side before each run. */
async function pairs(
  runs: number,
  action: () => Promise<Measure>,
  floor: () => Promise<Measure>,
): Promise<{ action: number; floor: number }> {
  const actionMs: number[] = [];
  const floorMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? [action, floor] : [floor, action];
    for (const side of order) {
      const { ms } = await side();
      (side === action ? actionMs : floorMs).push(ms);
    }
  }
  return { action: median(actionMs), floor: median(floorMs) };
}

function seedStale(emulator: Emulator, count: number): void {
  const threeHoursAgo = Date.now() - 3 * 3_600_000;
  for (let i = 0; i < count; i++) {
    emulator.addBatch({
      status: i % 2 ? 'Running' : 'NotStarted',
      createdDateTimeUtc: new Date(threeHoursAgo - i * 1000).toISOString(),
    });
  }
}

async function withEmulator<T>(latencyMs: number, work: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = new Emulator({ latencyMs, cancelDelayMs: 3_600_000 });
  await emulator.start();
  try {
    return await work(emulator);
  } finally {
    await emulator.stop();
  }
}

function credentials(emulator: Emulator): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
}

const coldStart = await withEmulator(0, (emulator) =>
  pairs(
    RUNS,
    () => measure(ACTION_ENTRY, { 'job-id': emulator.addBatch(), ...credentials(emulator) }),
    () => measure(FLOOR_CANCEL, { 'job-id': emulator.addBatch(), ...credentials(emulator) }),
  ),
);

// A fresh runner's first step: no compiled code on disk yet.
const noCache = { NODE_DISABLE_COMPILE_CACHE: '1' };
const firstStep = await withEmulator(0, (emulator) =>
  pairs(
    RUNS,
    () => measure(ACTION_ENTRY, { 'job-id': emulator.addBatch(), ...credentials(emulator) }, noCache),
    () => measure(FLOOR_CANCEL, { 'job-id': emulator.addBatch(), ...credentials(emulator) }, noCache),
  ),
);

const bulkInputs = { 'stale-after': '1h', 'max-jobs': String(BULK_BATCHES), summary: 'false' };
const bulk = await withEmulator(20, (emulator) =>
  pairs(
    RUNS,
    () => {
      seedStale(emulator, BULK_BATCHES);
      return measure(ACTION_ENTRY, { ...bulkInputs, ...credentials(emulator) });
    },
    () => {
      seedStale(emulator, BULK_BATCHES);
      return measure(FLOOR_BULK, { ...bulkInputs, ...credentials(emulator) });
    },
  ),
);

const rssInputs = { 'stale-after': '1h', 'max-jobs': String(RSS_BATCHES), timeout: '600' };
const rss = await withEmulator(0, async (emulator) => {
  seedStale(emulator, RSS_BATCHES);
  const action = await measure(ACTION_ENTRY, { ...rssInputs, ...credentials(emulator) });
  seedStale(emulator, RSS_BATCHES);
  const floor = await measure(FLOOR_BULK, { ...rssInputs, ...credentials(emulator) });
  return { action: action.rssKb / 1024, floor: floor.rssKb / 1024 };
});

const distFiles = readdirSync('dist').map((file) => ({ file, bytes: statSync(join('dist', file)).size }));
const distBytes = distFiles.reduce((total, { bytes }) => total + bytes, 0);

function row(name: string, sides: { action: number; floor: number }, unit: string, target: string): string {
  const ratio = (sides.action / sides.floor).toFixed(2);
  return `| ${name} | ${sides.action.toFixed(0)} ${unit} | ${sides.floor.toFixed(0)} ${unit} | ${ratio}× | ${target} |`;
}

console.log(`Node ${process.version}; medians of ${RUNS} interleaved pairs.\n`);
console.log('| measure | action | floor | ratio | target |');
console.log('| --- | --- | --- | --- | --- |');
console.log(row('cold start: one cancel', coldStart, 'ms', '≤ 1.5×'));
console.log(row('the same on a fresh runner (no compile cache yet)', firstStep, 'ms', '≤ 1.5×'));
console.log(
  row(`bulk: ${BULK_BATCHES.toLocaleString('en')} stale batches, 20 ms latency`, bulk, 'ms', '≤ 1.2×'),
);
console.log(row(`peak RSS: ${RSS_BATCHES.toLocaleString('en')} batches`, rss, 'MB', '≤ 100 MB'));
console.log(
  `| dist/ size | ${(distBytes / 1024).toFixed(0)} kB in ${distFiles.length} files | | | as small as the contract allows |`,
);
console.log(
  `\ndist/: ${distFiles.map(({ file, bytes }) => `${file} ${(bytes / 1024).toFixed(0)} kB`).join(', ')}`,
);
