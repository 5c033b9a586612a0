// `npm run bench`: the action against its floor, side by side, on the emulator. The floor is a bare
// script that does the same work with Node's own fetch and no checks (scripts/bench/floor-*.mjs).
// Each timing is the median of interleaved pairs (the action and the floor take turns going first),
// so that a slow moment of the machine falls on both sides alike, and its ratio the median of the
// pairs' own ratios. Prints a table; asserts nothing. One row is a reference, not a target: undici
// alone (scripts/bench/undici-alone/), what the action's HTTP stack takes by itself over HTTPS.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawInputs } from '../src/common/names.ts';
import { ledgerMarker, MARKER } from '../src/github/ledger.ts';
import { sealed, sealKeyOf } from '../src/github/ledger-seal.ts';
import { parseSettings } from '../src/settings/inputs.ts';
import { readActionYml } from './action-yml.ts';
import { DelayProxy } from './bench/delay-proxy.ts';
import { bundle } from './bundle.ts';
import { Emulator } from './emulator/emulator.ts';
import { ACTIONS_BOT, GitHubApiEmulator } from './emulator/github-api.ts';
import { keylessInputs, trustedIdentity } from './emulator/identity.ts';
import { ACTION_ENTRY, FAKE_GITHUB_TOKEN, runnerEnv } from './run-action.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
// A cold start is short and the machine's moments weigh on it most: three times the pairs.
const COLD_RUNS = RUNS * 3;
const BULK_BATCHES = 1_000;
const ROUND_TRIP_MS = 20;
const LEDGER_BATCHES = 5_000;
// Each side of a pull request close takes seconds: a third of the pairs.
const LEDGER_RUNS = Math.max(3, Math.round(RUNS / 3));
const MEMORY_BATCHES = [1_000, 10_000];
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const FLOOR_CANCEL = here('./bench/floor-cancel.mjs');
const FLOOR_CANCEL_STATUS = here('./bench/floor-cancel-status.mjs');
const FLOOR_BULK = here('./bench/floor-bulk.mjs');
const MEASURE = here('./bench/measure.cjs');
// Every run's runner files, the fresh runners' temporary folders, the certificate: one folder,
// removed at the end.
const WORK = mkdtempSync(join(tmpdir(), 'bench-'));
process.on('exit', () => rmSync(WORK, { recursive: true, force: true }));

interface Measure {
  ms: number;
  maxRssKb: number;
  retainedKb?: number;
}

interface Sides {
  action: number;
  floor: number;
  /** The median of each pair's ratio, action over floor: a slow moment weighs on one pair only. */
  ratio?: number;
}

/** Runs one script as the runner runs the action: its wall time from spawn to exit, and its memory. */
async function measure(
  script: string,
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<Measure> {
  const dir = mkdtempSync(join(WORK, 'run-'));
  const measureFile = join(dir, 'measure.json');
  const env = { ...runnerEnv(inputs, dir), BENCH_MEASURE_FILE: measureFile, ...options.env };
  const started = performance.now();
  const args = [...(options.nodeFlags ?? []), '--require', MEASURE, script];
  const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return { ms, ...(JSON.parse(readFileSync(measureFile, 'utf8')) as Omit<Measure, 'ms'>) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** `runs` interleaved pairs, as medians, and the median of their ratios. */
async function pairs(
  runs: number,
  action: () => Promise<Measure>,
  floor: () => Promise<Measure>,
): Promise<Sides> {
  const actionMs: number[] = [];
  const floorMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? [action, floor] : [floor, action];
    for (const side of order) {
      const { ms } = await side();
      (side === action ? actionMs : floorMs).push(ms);
    }
  }
  const ratios = actionMs.map((ms, run) => ms / (floorMs[run] ?? ms));
  return { action: median(actionMs), floor: median(floorMs), ratio: median(ratios) };
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

async function withEmulator<T>(
  options: { latencyMs?: number; tls?: { key: string; cert: string }; accessTokens?: string[] },
  work: (emulator: Emulator) => Promise<T>,
): Promise<T> {
  const emulator = new Emulator({
    latencyMs: options.latencyMs ?? 0,
    cancelDelayMs: 3_600_000,
    accessTokens: options.accessTokens,
  });
  await emulator.start(0, '127.0.0.1', options.tls);
  try {
    return await work(emulator);
  } finally {
    await emulator.stop();
  }
}

function credentials(emulator: Emulator): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
}

/** A certificate for 127.0.0.1 made now, trusted by both sides through NODE_EXTRA_CA_CERTS. */
function loopbackCertificate(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(WORK, 'tls-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/**
 * `script` cancelling a new batch of `emulator`'s at `endpoint` in a new process, as on a fresh hosted
 * runner: a temp folder of its own each time, so nothing compiled before is found there (the action
 * keeps no compile cache; see src/index.ts), trusting `tls`'s certificate where there is one.
 */
function freshCancel(
  emulator: Emulator,
  tls: ReturnType<typeof loopbackCertificate> | undefined,
  endpoint = emulator.url,
): (script: string) => () => Promise<Measure> {
  const trust: Record<string, string> = tls ? { NODE_EXTRA_CA_CERTS: tls.certFile } : {};
  return (script) => () =>
    measure(
      script,
      { 'job-id': emulator.addBatch(), ...credentials(emulator), endpoint },
      { env: { ...trust, TMPDIR: mkdtempSync(join(WORK, 'fresh-')) } },
    );
}

/** One cancel in a new process, as on a fresh hosted runner. */
async function coldStart(tls: ReturnType<typeof loopbackCertificate> | undefined): Promise<Sides> {
  return withEmulator({ tls }, async (emulator) => {
    const cancel = freshCancel(emulator, tls);
    return pairs(COLD_RUNS, cancel(ACTION_ENTRY), cancel(FLOOR_CANCEL));
  });
}

/**
 * One cancel and the status read after it, in a new process, over a network 20 ms away: a relay on
 * loopback adds the round trip to every exchange and the handshakes' round trips to a new
 * connection (TCP's, and TLS's over plain HTTP, where no TLS runs; over HTTPS the relay adds TCP's
 * and TLS takes its own). Against a bare node:http script doing the same: what the user waits for
 * on a runner far from the service, start-up included.
 */
async function overNetwork(
  tls: ReturnType<typeof loopbackCertificate> | undefined,
  script = ACTION_ENTRY,
): Promise<Sides> {
  return withEmulator({ tls }, async (emulator) => {
    const network = new DelayProxy(emulator.url, ROUND_TRIP_MS, tls ? 1 : 2);
    await network.start();
    try {
      const cancel = freshCancel(emulator, tls, network.url);
      return await pairs(COLD_RUNS, cancel(script), cancel(FLOOR_CANCEL_STATUS));
    } finally {
      await network.stop();
    }
  });
}

/**
 * A keyless cancel in a new process, over a network 20 ms away: the workflow's OIDC token from
 * GitHub's OIDC token service and the access token from Microsoft Entra (the identity emulator, one
 * host), then the cancel and its status read (the service, another host), each host behind a relay
 * that adds the round trip and two handshake round trips to a new connection, as over plain HTTP
 * above. Against a bare node:http script doing the same exchanges one after another.
 */
async function keylessOverNetwork(): Promise<Sides> {
  const accessToken = 'bench-entra-access-token';
  return withEmulator({ accessTokens: [accessToken] }, async (emulator) => {
    const identity = trustedIdentity(accessToken);
    await identity.start();
    const service = new DelayProxy(emulator.url, ROUND_TRIP_MS, 2);
    const signIn = new DelayProxy(identity.url, ROUND_TRIP_MS, 2);
    await service.start();
    await signIn.start();
    try {
      const keyless = (script: string) => () =>
        measure(
          script,
          { 'job-id': emulator.addBatch(), endpoint: service.url, ...keylessInputs(signIn.url) },
          {
            env: {
              ACTIONS_ID_TOKEN_REQUEST_URL: `${signIn.url}/oidc/token?api-version=2.0`,
              ACTIONS_ID_TOKEN_REQUEST_TOKEN: identity.requestToken,
              TMPDIR: mkdtempSync(join(WORK, 'fresh-')),
            },
          },
        );
      return await pairs(COLD_RUNS, keyless(ACTION_ENTRY), keyless(FLOOR_CANCEL_STATUS));
    } finally {
      await service.stop();
      await signIn.stop();
      await identity.stop();
    }
  });
}

const tls = loopbackCertificate();
const undiciAlone = join(WORK, 'undici-alone');
await bundle(undiciAlone, 'scripts/bench/undici-alone/index.ts');
const cold = { http: await coldStart(undefined), https: await coldStart(tls) };
const far = {
  http: await overNetwork(undefined),
  https: await overNetwork(tls),
  undiciAlone: await overNetwork(tls, join(undiciAlone, 'index.js')),
  keyless: await keylessOverNetwork(),
};

const bulkInputs = { 'stale-after': '1h', 'max-jobs': String(BULK_BATCHES), summary: 'false' };
const bulk = await withEmulator({ latencyMs: 20 }, (emulator) =>
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

/**
 * Closing a pull request whose ledger holds `LEDGER_BATCHES` running batches, against a stale-after
 * cancel of as many on the same kind of emulator: reading and writing the ledger must not be what
 * takes the time. Each side gets an emulator of its own, so that neither lists the other's batches.
 */
async function pullRequestClose(): Promise<Sides> {
  const github = new GitHubApiEmulator({ [FAKE_GITHUB_TOKEN]: ACTIONS_BOT });
  await github.start();
  const events = mkdtempSync(join(WORK, 'events-'));
  let number = 0;
  const close = () =>
    withEmulator({ latencyMs: 20 }, (emulator) => {
      number++;
      const now = new Date().toISOString();
      // Sealed for the pull request under the key, as a track run with it records them.
      const entries = sealed(
        Array.from({ length: LEDGER_BATCHES }, () => ({
          id: emulator.addBatch({ status: 'Running' }),
          serviceBase: emulator.url,
          recordedAt: now,
          status: 'Running',
          updatedAt: now,
        })),
        sealKeyOf({ kind: 'key', subscriptionKey: emulator.subscriptionKey }),
        { repository: 'octo/app', pullRequest: number },
      );
      for (let at = 0; at < entries.length; at += 1_000) {
        const body = `${MARKER}\n${ledgerMarker(entries.slice(at, at + 1_000))}`;
        github.addComment(number, ACTIONS_BOT, body);
      }
      const eventPath = join(events, `${number}.json`);
      writeFileSync(
        eventPath,
        JSON.stringify({ action: 'closed', number, pull_request: { number, merged: true } }),
      );
      const inputs = { 'from-pull-request': 'true', summary: 'false', ...credentials(emulator) };
      return measure(ACTION_ENTRY, inputs, { env: github.pullRequestEnv(eventPath) });
    });
  const stale = () =>
    withEmulator({ latencyMs: 20 }, (emulator) => {
      seedStale(emulator, LEDGER_BATCHES);
      const inputs = { 'stale-after': '1h', 'max-jobs': String(LEDGER_BATCHES), summary: 'false' };
      return measure(ACTION_ENTRY, { ...inputs, ...credentials(emulator) });
    });
  try {
    return await pairs(LEDGER_RUNS, close, stale);
  } finally {
    await github.stop();
  }
}
const ledgerClose = await pullRequestClose();

/**
 * A run over `count` stale batches. With `heldHeap`, it samples the heap held after full
 * collections (which slows it and changes its RSS); without, its peak RSS is as in a real run.
 */
async function memory(script: string, count: number, heldHeap: boolean): Promise<Measure> {
  return withEmulator({}, async (emulator) => {
    seedStale(emulator, count);
    const inputs = { 'stale-after': '1h', 'max-jobs': String(count), timeout: '600', summary: 'false' };
    const nodeFlags = heldHeap ? ['--expose-gc'] : [];
    return measure(script, { ...inputs, ...credentials(emulator) }, { nodeFlags });
  });
}

const [fewer = 0, more = 0] = MEMORY_BATCHES;
/** The heap held per 1,000 batches, fitted between the two counts. */
async function heldPerThousand(script: string): Promise<number> {
  const [small, large] = [await memory(script, fewer, true), await memory(script, more, true)];
  return ((large.retainedKb ?? 0) - (small.retainedKb ?? 0)) / ((more - fewer) / 1000) / 1024;
}
const retained = { action: await heldPerThousand(ACTION_ENTRY), floor: await heldPerThousand(FLOOR_BULK) };
const peakRss = {
  action: (await memory(ACTION_ENTRY, more, false)).maxRssKb / 1024,
  floor: (await memory(FLOOR_BULK, more, false)).maxRssKb / 1024,
};

/**
 * How long the settings take to read from inputs of 100,000 characters shaped to make a pattern
 * backtrack (a parser worse than linear takes seconds on them): the slowest, in one process.
 */
function hostileInputs(): { ms: number; worst: string } {
  const length = 100_000;
  const shapes: Record<string, string> = {
    letters: 'a'.repeat(length),
    schemes: 'a://'.repeat(length / 4),
    'dashed labels': 'a-'.repeat(length / 2),
    'dotted labels': 'a.'.repeat(length / 2),
    'a URL with no @': `https://${'a'.repeat(length)}`,
    'words and colons': 'a: '.repeat(length / 3),
  };
  const defaults = Object.fromEntries(
    Object.entries(readActionYml().inputs).map(([name, input]) => [name, input.default ?? '']),
  );
  const base = {
    ...defaults,
    'subscription-key': 'key-0000',
    endpoint: 'https://x.cognitiveservices.azure.com',
  };
  let worst = { ms: 0, worst: '' };
  for (const input of [
    'endpoint',
    'job-id',
    'allowed-hosts',
    'stale-after',
    'error-policy',
    'authority-host',
  ]) {
    for (const [shape, value] of Object.entries(shapes)) {
      const given = {
        ...base,
        'job-id': input === 'stale-after' ? '' : '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec',
        [input]: value,
      };
      const started = performance.now();
      try {
        parseSettings(given as RawInputs);
      } catch {
        // Refused, as it should be: how long that took is the measure.
      }
      const ms = performance.now() - started;
      if (ms > worst.ms) worst = { ms, worst: `${input}: ${shape}` };
    }
  }
  return worst;
}
const hostile = hostileInputs();

const distFiles = readdirSync('dist').map((file) => ({ file, bytes: statSync(join('dist', file)).size }));
const distBytes = distFiles.reduce((total, { bytes }) => total + bytes, 0);

interface Target {
  ratio?: number;
  aboveMs?: number;
  value?: number;
}

function row(name: string, sides: Sides, unit: string, target: Target, digits = 0): string {
  const ratio = sides.ratio ?? sides.action / sides.floor;
  const checks = [
    target.ratio === undefined ? '' : `≤ ${target.ratio}×`,
    target.aboveMs === undefined ? '' : `≤ ${target.aboveMs} ms above`,
    target.value === undefined ? '' : `≤ ${target.value} ${unit}`,
  ].filter(Boolean);
  const met =
    (target.ratio === undefined || ratio <= target.ratio) &&
    (target.aboveMs === undefined || sides.action - sides.floor <= target.aboveMs) &&
    (target.value === undefined || sides.action <= target.value);
  const verdict = checks.length === 0 ? '' : met ? ' (met)' : ' (NOT met)';
  return `| ${name} | ${sides.action.toFixed(digits)} ${unit} | ${sides.floor.toFixed(digits)} ${unit} | ${ratio.toFixed(2)}× | ${checks.join(', ') || '—'}${verdict} |`;
}

console.log(
  `Node ${process.version}; medians of ${COLD_RUNS} interleaved pairs for a cold start, ${LEDGER_RUNS} for a pull request close, ${RUNS} for the others; a timing's ratio is the median of the pairs' ratios.\n`,
);
console.log('| measure | action | floor | ratio | target |');
console.log('| --- | --- | --- | --- | --- |');
console.log(row('cold start, fresh runner, HTTP', cold.http, 'ms', { ratio: 1.3 }));
console.log(row('cold start, fresh runner, HTTPS', cold.https, 'ms', { ratio: 1.3 }));
console.log(
  row(`cancel and status read, ${ROUND_TRIP_MS} ms away, HTTP (floor: node:http)`, far.http, 'ms', {
    ratio: 1.1,
  }),
);
console.log(
  row(`cancel and status read, ${ROUND_TRIP_MS} ms away, HTTPS (floor: node:https)`, far.https, 'ms', {
    ratio: 1.1,
  }),
);
console.log(
  row(
    `reference: undici alone (the same requests, bundled as dist/ is), ${ROUND_TRIP_MS} ms away, HTTPS (floor: node:https)`,
    far.undiciAlone,
    'ms',
    {},
  ),
);
console.log(
  row(
    `keyless sign-in, then the cancel and its status read, ${ROUND_TRIP_MS} ms away, HTTP (floor: node:http)`,
    far.keyless,
    'ms',
    {},
  ),
);
console.log(
  row(`bulk: ${BULK_BATCHES.toLocaleString('en')} stale batches, 20 ms latency`, bulk, 'ms', { ratio: 1.1 }),
);
console.log(
  row(
    `pull request close, ${LEDGER_BATCHES.toLocaleString('en')} batches in its ledger, 20 ms latency (floor: stale-after of as many)`,
    ledgerClose,
    'ms',
    { ratio: 1.2 },
  ),
);
console.log(row('heap held per 1,000 batches', retained, 'MB', { value: 1 }, 2));
console.log(row(`peak RSS: ${more.toLocaleString('en')} batches`, peakRss, 'MB', { ratio: 1.1 }));
console.log(`| dist/ size | ${(distBytes / 1024).toFixed(0)} kB in ${distFiles.length} files | | | — |`);
console.log(
  `| settings from 100,000-character inputs, the slowest (${hostile.worst}) | ${hostile.ms.toFixed(1)} ms | | | ≤ 100 ms${hostile.ms <= 100 ? ' (met)' : ' (NOT met)'} |`,
);
console.log(
  `\ndist/: ${distFiles.map(({ file, bytes }) => `${file} ${(bytes / 1024).toFixed(0)} kB`).join(', ')}`,
);
