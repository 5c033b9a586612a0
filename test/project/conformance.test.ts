// npm run conformance, run whole against the emulator standing in for a live resource: every
// scenario runs, the recording is written sanitized, and the table shows every behaviour matching.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Emulator } from '../../scripts/emulator/emulator.ts';
import { useEmulator } from '../support/emulator-fixture.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/conformance.ts', import.meta.url));
const KEY = 'conformance-key-0a1b2c3d4e5f';
const SAS = 'sv=2024-11-04&sig=c2lnbmF0dXJlLXNlY3JldA';
const timing = { cancelDelayMs: 1_000, startedBatches: { runningAfterMs: 300, succeededAfterMs: 1_500 } };
const emulator = useEmulator({ subscriptionKey: KEY, ...timing });
// A service that answers as the docs say, not as the live service does.
const documented = useEmulator({ subscriptionKey: KEY, ...timing, finishedCancelStatus: 400 });

async function conformance(
  service: Emulator = emulator,
): Promise<{ code: number | null; stdout: string; stderr: string; out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'conformance-'));
  const child = spawn(process.execPath, [SCRIPT, '--out', out], {
    env: {
      PATH: process.env.PATH ?? '',
      TRANSLATOR_ENDPOINT: service.url,
      TRANSLATOR_KEY: KEY,
      TRANSLATOR_SOURCE_URL: `https://mystorage.blob.core.windows.net/docs-en?${SAS}`,
      TRANSLATOR_TARGET_URL: `https://mystorage.blob.core.windows.net/docs-fr?${SAS}`,
      TRANSLATOR_POLL_MS: '250',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, out };
}

describe('npm run conformance', () => {
  it('runs every scenario, writes a sanitized recording, and finds the emulator matching', async () => {
    const run = await conformance();

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^\| [^-b]/.test(line));
    expect(rows).toHaveLength(11);
    for (const row of rows) expect(row).toMatch(/\| (match|not compared) \|$/);
    expect(run.stdout).toContain('| DELETE on a finished batch | 200 unchanged | 200 unchanged | match |');
    expect(run.stdout).toContain('| a list of 26 ids | 400 InvalidRequest | 400 InvalidRequest | match |');
    const [file = ''] = readdirSync(run.out);
    const recording = readFileSync(join(run.out, file), 'utf8');
    const entries = (JSON.parse(recording) as { Entries: Array<{ RequestMethod: string }> }).Entries;
    expect(entries.map((entry) => entry.RequestMethod)).toContain('POST');
    expect(recording).toContain('fakeendpoint.cognitiveservices.azure.com');
    for (const secret of [KEY, 'c2lnbmF0dXJlLXNlY3JldA', new URL(emulator.url).host, 'mystorage']) {
      expect(recording).not.toContain(secret);
    }
  });

  it('refuses to write a recording in which a secret still appears', async () => {
    const echo = JSON.stringify({ error: { code: 'InvalidRequest', message: `Your key ${KEY} is odd.` } });
    emulator.addFault({ method: 'GET', status: 400, body: echo });

    const run = await conformance();

    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Refusing to write the recording');
    expect(run.stderr).not.toContain(KEY);
    expect(readdirSync(run.out)).toEqual([]);
  });

  it('exits 1 and names each behaviour that differs from the emulator', async () => {
    const run = await conformance(documented);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '| DELETE on a finished batch | 200 unchanged | 400 InvalidRequest | MISMATCH |',
    );
    expect(run.stdout).toContain(
      '| DELETE on a Cancelled batch | 200 unchanged | 400 InvalidRequest | MISMATCH |',
    );
    expect(run.stderr).toContain('behaviour(s) differ from the emulator');
  });
});
