// The emulator behaves as the live service did in the recordings: what the end-to-end tests rely on.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { useEmulator } from '../support/emulator-fixture.ts';
import { recording } from '../support/recordings.ts';

const emulator = useEmulator({ cancelDelayMs: 300, staleCacheMs: 60_000 });

function call(method: string, path: string, key = emulator.subscriptionKey): Promise<Response> {
  const separator = path.includes('?') ? '&' : '?';
  return fetch(`${emulator.url}${path}${separator}api-version=2024-05-01`, {
    method,
    headers: { 'ocp-apim-subscription-key': key },
  });
}

describe('the emulator', () => {
  it('answers a cancel with 200 Cancelling and no Retry-After, as the live service has since 2024-10', async () => {
    const id = emulator.addBatch();
    const answer = await call('DELETE', `/translator/document/batches/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(((await answer.json()) as { status: string }).status).toBe('Cancelling');
  });

  it("answers a cancel that starts with a summary of all zeros, as every recording does, while the status read has the batch's counts", async () => {
    const [recordedCancel] = recording('js/recording_cancel_translation.json').filter(
      (entry) => entry.RequestMethod === 'DELETE',
    );
    const id = emulator.addBatch({ status: 'Running', documents: 8, succeeded: 3, charactersCharged: 900 });

    const cancel = await call('DELETE', `/translator/document/batches/${id}`);
    const read = await call('GET', `/translator/document/batches/${id}`);

    expect(recordedCancel?.ResponseBody).toMatchObject({ status: 'Cancelling', summary: { total: 0 } });
    expect(await cancel.json()).toMatchObject({
      status: 'Cancelling',
      summary: recordedCancel?.ResponseBody.summary,
    });
    expect(((await read.json()) as { summary: object }).summary).toMatchObject({
      total: 8,
      success: 3,
      inProgress: 5,
      totalCharacterCharged: 900,
    });
  });

  it('answers a cancel of a Succeeded batch with 200 and the batch unchanged, shaped as the recorded answer', async () => {
    const [recorded] = recording(
      'python/test_list_translations_filter_by_status.DELETE-on-Succeeded.EXCERPT.json',
    );
    const id = emulator.addBatch({ status: 'Succeeded', documents: 1, succeeded: 1, charactersCharged: 27 });

    const answer = await call('DELETE', `/translator/document/batches/${id}`);
    const body = (await answer.json()) as Record<string, unknown>;

    expect(recorded?.StatusCode).toBe(200);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(Object.keys(body).sort()).toEqual(Object.keys(recorded?.ResponseBody ?? {}).sort());
    expect({
      ...body,
      id: undefined,
      createdDateTimeUtc: undefined,
      lastActionDateTimeUtc: undefined,
    }).toEqual({
      ...recorded?.ResponseBody,
      id: undefined,
      createdDateTimeUtc: undefined,
      lastActionDateTimeUtc: undefined,
    });
    expect(emulator.batchStatus(id)).toMatchObject({ status: 'Succeeded' });
  });

  it.each([400, 409] as const)('refuses that cancel with %i in its documented mode', async (status) => {
    const documented = new Emulator({ finishedCancelStatus: status });
    await documented.start();
    try {
      const id = documented.addBatch({ status: 'Succeeded' });
      const answer = await fetch(
        `${documented.url}/translator/document/batches/${id}?api-version=2024-05-01`,
        {
          method: 'DELETE',
          headers: { 'ocp-apim-subscription-key': documented.subscriptionKey },
        },
      );
      expect(answer.status).toBe(status);
      expect(await answer.json()).toMatchObject({ error: { code: 'InvalidRequest' } });
    } finally {
      await documented.stop();
    }
  });

  it('answers that cancel with the counts in its documented mode, as the spec example shows', async () => {
    const documented = new Emulator({ finishedCancelStatus: 400 });
    await documented.start();
    try {
      const id = documented.addBatch({ status: 'Running', documents: 4, succeeded: 1 });
      const answer = await fetch(
        `${documented.url}/translator/document/batches/${id}?api-version=2024-05-01`,
        { method: 'DELETE', headers: { 'ocp-apim-subscription-key': documented.subscriptionKey } },
      );
      expect(await answer.json()).toMatchObject({ status: 'Cancelling', summary: { total: 4, success: 1 } });
    } finally {
      await documented.stop();
    }
  });

  it('sends an ETag with every status, as every recorded status answer has, the same for a cached one', async () => {
    const [recorded] = recording('js/recording_cancel_translation.json').filter(
      (entry) => entry.RequestMethod === 'GET' && entry.RequestUri.includes('/batches/'),
    );
    const id = emulator.addBatch();
    const before = await call('GET', `/translator/document/batches/${id}`);
    await call('DELETE', `/translator/document/batches/${id}`);
    const [first, second] = [
      await call('GET', `/translator/document/batches/${id}`),
      await call('GET', `/translator/document/batches/${id}`),
    ];

    const etag = /^"[0-9A-F]{64}"$/;
    expect(recorded?.ResponseHeaders.ETag).toMatch(etag);
    expect(before.headers.get('etag')).toMatch(etag);
    expect(first.headers.get('etag')).toMatch(etag);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await call('GET', '/translator/document/batches')).headers.get('etag')).toMatch(etag);
  });

  it('adds image counts to the summary for the api-versions that send them', async () => {
    const id = emulator.addBatch({ imagesCharged: 2 });
    const summaryFor = async (apiVersion: string) => {
      const answer = await fetch(
        `${emulator.url}/translator/document/batches/${id}?api-version=${apiVersion}`,
        {
          headers: { 'ocp-apim-subscription-key': emulator.subscriptionKey },
        },
      );
      return ((await answer.json()) as { summary: Record<string, number> }).summary;
    };

    expect(await summaryFor('2024-05-01')).not.toHaveProperty('totalImageScansSucceeded');
    expect(await summaryFor('2024-11-01-preview')).toMatchObject({ totalImageScansSucceeded: 2 });
    expect(await summaryFor('2024-11-01-preview')).not.toHaveProperty('totalImageCharged');
    expect(await summaryFor('2026-03-01')).toMatchObject({
      totalImageScansSucceeded: 2,
      totalImageCharged: 2,
    });
  });

  it('serves the status from before the cancel from its cache, with Age counting and the same X-RequestId', async () => {
    const id = emulator.addBatch();
    await call('DELETE', `/translator/document/batches/${id}`);

    const first = await call('GET', `/translator/document/batches/${id}`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await call('GET', `/translator/document/batches/${id}`);

    expect(((await first.json()) as { status: string }).status).toBe('NotStarted');
    expect(first.headers.get('age')).toBeNull();
    expect(((await second.json()) as { status: string }).status).toBe('NotStarted');
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(1);
    expect(second.headers.get('x-requestid')).toBe(first.headers.get('x-requestid'));
    expect(second.headers.get('apim-request-id')).not.toBe(first.headers.get('apim-request-id'));
  });

  it('turns a Cancelling batch Cancelled later, with its remaining documents counted as cancelled', async () => {
    const id = emulator.addBatch({ status: 'Running', documents: 3, succeeded: 1 });
    await call('DELETE', `/translator/document/batches/${id}`);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(emulator.batchStatus(id)).toMatchObject({
      status: 'Cancelled',
      summary: { total: 3, success: 1, cancelled: 2, inProgress: 0 },
    });
  });

  it("refuses a bad key with the gateway's 401 and no X-RequestId", async () => {
    const answer = await call('GET', `/translator/document/batches/${emulator.addBatch()}`, 'wrong');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('x-requestid')).toBeNull();
    expect(await answer.json()).toMatchObject({ error: { code: '401' } });
  });

  it('answers a malformed id with an empty 404', async () => {
    const answer = await call('GET', '/translator/document/batches/Foo%20Bar');
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe('');
  });

  it('lists batches filtered by status and creation time, oldest first, a page at a time with @nextLink', async () => {
    const listed = new Emulator();
    await listed.start();
    try {
      for (let day = 1; day <= 7; day++) {
        listed.addBatch({
          status: day % 2 ? 'Running' : 'Succeeded',
          createdDateTimeUtc: `2026-01-0${day}T00:00:00Z`,
        });
      }
      const seen: string[] = [];
      let next: string | undefined =
        `${listed.url}/translator/document/batches?api-version=2024-05-01&statuses=Running&createdDateTimeUtcEnd=2026-01-06T00:00:00Z&maxpagesize=2`;
      while (next) {
        const page = (await (
          await fetch(next, { headers: { 'ocp-apim-subscription-key': listed.subscriptionKey } })
        ).json()) as {
          value: Array<{ createdDateTimeUtc: string }>;
          '@nextLink'?: string;
          nextLink?: string;
        };
        seen.push(...page.value.map((batch) => batch.createdDateTimeUtc.slice(0, 10)));
        expect(page.nextLink).toBeUndefined();
        next = page['@nextLink'];
        if (next) expect(new URL(next).searchParams.get('skip')).toMatch(/^\d+$/);
      }
      expect(seen).toEqual(['2026-01-01', '2026-01-03', '2026-01-05']);
    } finally {
      await listed.stop();
    }
  });
});

describe("the emulator's list, as the service pages it", () => {
  const listed = useEmulator();
  const created: string[] = [];
  beforeAll(() => {
    for (let i = 0; i < 12; i++) {
      listed.addBatch({ createdDateTimeUtc: new Date(Date.UTC(2026, 0, 1, i)).toISOString() });
      created.push(new Date(Date.UTC(2026, 0, 1, i)).toISOString());
    }
  });

  async function listAll(query: string): Promise<{ seen: string[]; links: URL[] }> {
    const seen: string[] = [];
    const links: URL[] = [];
    let next: string | undefined =
      `${listed.url}/translator/document/batches?api-version=2024-05-01&${query}`;
    while (next) {
      const answer = await fetch(next, { headers: { 'ocp-apim-subscription-key': listed.subscriptionKey } });
      const page = (await answer.json()) as { value: { createdDateTimeUtc: string }[]; '@nextLink'?: string };
      seen.push(...page.value.map((batch) => batch.createdDateTimeUtc));
      next = page['@nextLink'];
      if (next) links.push(new URL(next));
    }
    return { seen, links };
  }

  it('skips first, then takes top of what is left', async () => {
    expect((await listAll('skip=10&top=5')).seen).toEqual(created.slice(10, 12));
    expect((await listAll('skip=3&top=4')).seen).toEqual(created.slice(3, 7));
  });

  it("carries in its next links, as top, what remains after the link's skip", async () => {
    const { seen, links } = await listAll('skip=2&top=5&maxpagesize=2');

    expect(seen).toEqual(created.slice(2, 7));
    expect(links.map((link) => [link.searchParams.get('skip'), link.searchParams.get('top')])).toEqual([
      ['4', '3'],
      ['6', '1'],
    ]);
  });
});

describe('the emulator on the command line', () => {
  function listening(url: string): Promise<boolean> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.on('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  }

  /** Whether `pid` is still running: an exited process that nobody has reaped yet (a zombie) is not. */
  function running(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  }

  it('stops when the shell that npm started it under is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-'));
    const [urlFile, pidFile] = [join(dir, 'url'), join(dir, 'pid')];
    const cli = fileURLToPath(new URL('../../scripts/emulator/cli.ts', import.meta.url));
    // As npm runs a script: a shell that stays the emulator's parent.
    const command = `"${process.execPath}" "${cli}" --url-file "${urlFile}" & echo $! > "${pidFile}"; wait`;
    const shell = spawn('sh', ['-c', command], { stdio: 'ignore' });
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim() : '');
    for (let i = 0; i < 200 && !(read(urlFile) && read(pidFile)); i++) await delay(50);
    const pid = Number(read(pidFile));
    expect(await listening(read(urlFile))).toBe(true);

    shell.kill('SIGKILL');
    for (let i = 0; i < 100 && running(pid); i++) await delay(100);

    expect(running(pid)).toBe(false);
  });
});
