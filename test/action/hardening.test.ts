// Hostile inputs and hostile answers, the action run in process: each gets a clear line, and no
// secret or unbounded service text is written anywhere. Every run here is also checked for any given
// secret in the log, the outputs and the summary. A broken runner (an unwritable job summary) is in
// test/e2e/runner-files.test.ts, since only a process shows it.
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../support/emulator-fixture.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';
import { runInProcess } from '../support/run-in-process.ts';

const KEY = 'hardening-key-5f4e3d2c1b0a';
const emulator = useEmulator({ subscriptionKey: KEY, cancelDelayMs: 500 });
const HOUR = 3_600_000;

function credentials(): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': KEY };
}

/** A batch whose cancel the service refuses (400) with `error`, and whose status then cannot be read. */
function refusedWith(error: object): string {
  const id = emulator.addBatch();
  emulator.addFault({ batchId: id, method: 'DELETE', status: 400, body: JSON.stringify({ error }) });
  emulator.addFault({ batchId: id, method: 'GET', status: 404 });
  return id;
}

describe('a password in a URL input', () => {
  const PASSWORD = 'url-pa55word-1234';

  it.each([
    ['endpoint', { endpoint: `https://user:${PASSWORD}@my.cognitiveservices.azure.com/?x=1` }],
    ['endpoint', { endpoint: `https://user:${PASSWORD}@my.cognitiveservices.azure.com:99999` }],
    [
      'operation-location',
      { 'operation-location': `https://u:${PASSWORD}@my.cognitiveservices.azure.com/x/y` },
    ],
    ['job-id', { 'job-id': `https://u:${PASSWORD}@my.cognitiveservices.azure.com/translator/unknown` }],
  ])('in %s is refused, naming the host and never the password', async (inputName, inputs) => {
    const before = emulator.requests.length;

    const run = await runInProcess({
      'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
      endpoint: 'https://my.cognitiveservices.azure.com',
      'subscription-key': KEY,
      ...inputs,
    });

    expectOneLineFailure(
      run,
      `${inputName} has a user name or password in its URL (host "my.cognitiveservices`,
    );
    expect(run.summary).toContain('has a user name or password');
    expect(emulator.requests.length).toBe(before);
  });
});

describe('a secret the service echoes', () => {
  it('is redacted from the outputs, the results and the summary, not only the log', async () => {
    const id = refusedWith({
      code: 'InvalidRequest',
      message: `The key ${KEY} is not valid here.`,
      target: `key=${KEY}`,
      innerError: { code: 'BadKey', message: `Inner: "${KEY}"` },
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      'error-message': 'The key *** is not valid here.',
      'error-target': 'key=***',
      'inner-error-message': 'Inner: "***"',
    });
    expect(run.outputs.results).toContain('The key *** is not valid here.');
    expect(run.summary).toContain('The key *** is not valid here');
  });
});

describe('unbounded service text', () => {
  it('is cut to a bounded length, keeping the code, the request id and what to do, and saying it was cut', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 404,
      body: JSON.stringify({
        error: {
          code: 'ResourceNotFound',
          message: 'x'.repeat(100_000),
          innerError: { message: 'y'.repeat(50_000) },
        },
      }),
    });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(1);
    const [error = ''] = run.errors;
    expect(error.length).toBeLessThan(1_500);
    expect(error).toContain(`ResourceNotFound (HTTP 404, request id ${run.outputs['request-id']})`);
    expect(error).toContain('(cut: 99500 more characters)');
    expect(error).toContain('Check the job id');
    expect(run.outputs['error-message']?.length).toBeLessThan(600);
    expect(run.summary.length).toBeLessThan(4_000);
  });

  it('cuts a status value of any length', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: JSON.stringify({ id, status: 'S'.repeat(20_000) }),
    });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.outputs['error-code']).toBe('UnexpectedStatus');
    expect(run.outputs.status?.length).toBeLessThan(200);
    expect(run.warnings[0]?.length).toBeLessThan(1_000);
  });
});

describe('service text in the job summary', () => {
  it('is inert text on one line: no heading, image, link or emphasis renders', async () => {
    const id = refusedWith({
      code: 'InvalidRequest',
      message:
        'oops\n\n# Approved\n\n![img](https://evil.example/x.png) [click](https://evil.example) **bold** `code` | a |',
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.summary).not.toMatch(/\n\s*\n/);
    expect(run.summary.replace(/&#\d+;/g, '')).not.toMatch(/[[\]!#*`|]/);
    expect(run.summary).toContain('&#35; Approved');
    expect(run.summary).toContain('&#33;&#91;img&#93;(https://evil.example/x.png)');
  });
});

describe('a Retry-After longer than the time left', () => {
  it('is capped: with wait: true the status is read, and the final status reported', async () => {
    const id = emulator.addBatch({ status: 'Running', documents: 2 });
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      processFirst: true,
      body: JSON.stringify({ id, status: 'Cancelling', summary: { total: 2 } }),
      headers: { 'retry-after': '86400' },
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), wait: 'true', timeout: '4' });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'Cancelled', outcome: 'cancel-requested', cancelled: '2' });
    expect(emulator.requests.filter((r) => r.method === 'GET' && r.path.endsWith(id))).toHaveLength(1);
  });
});

describe('the batch list', () => {
  // Another host a next-page link may point at.
  const elsewhere = useEmulator({ subscriptionKey: KEY });

  function oldBatch(): { id: string; body: object } {
    const id = emulator.addBatch({
      status: 'Running',
      createdDateTimeUtc: new Date(Date.now() - 48 * HOUR).toISOString(),
    });
    return { id, body: emulator.batchStatus(id) ?? {} };
  }

  function page(value: object[], nextLink?: string): void {
    const body = JSON.stringify({ value, ...(nextLink ? { '@nextLink': nextLink } : {}) });
    emulator.addFault({ method: 'GET', status: 200, body });
  }

  function pageUrl(skip: number): string {
    return `${emulator.url}/translator/document/batches?api-version=2024-05-01&skip=${skip}`;
  }

  function deletes(): string[] {
    return emulator.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
  }

  it('counts and cancels a batch on two overlapping pages once', async () => {
    const [a, b, c] = [oldBatch(), oldBatch(), oldBatch()];
    page([a.body, b.body], pageUrl(2));
    page([b.body, c.body]);
    const before = deletes().length;

    const run = await runInProcess({ 'stale-after': '1d', ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.log).toContain('Found 3 stale batches in 2 pages.');
    expect(JSON.parse(run.outputs.results ?? '[]')).toHaveLength(3);
    expect(deletes().slice(before).sort()).toEqual(
      [a.id, b.id, c.id].map((id) => `/translator/document/batches/${id}`).sort(),
    );
  });

  it('reports an id that is not a GUID and never puts it into a URL', async () => {
    const good = oldBatch();
    page([good.body, { ...good.body, id: '' }, { ...good.body, id: '../../../batches?x=1' }]);
    const before = deletes().length;

    const run = await runInProcess({ 'stale-after': '1d', ...credentials() });

    expect(run.exitCode).toBe(1);
    expect(deletes().slice(before)).toEqual([`/translator/document/batches/${good.id}`]);
    const results = JSON.parse(run.outputs.results ?? '[]') as Array<{
      outcome: string;
      error: { code: string };
    }>;
    expect(results.map((result) => result.outcome)).toEqual(['cancel-requested', 'error', 'error']);
    expect(run.errors[0]).toContain('2 of 3 batches: Could not cancel batch ""');
    expect(run.log).toContain('which is not a batch id (a GUID): it was not sent anywhere');
  });

  it('ends a next-page link loop with a clear error', async () => {
    const batch = oldBatch();
    page([batch.body], pageUrl(1));
    page(
      [batch.body],
      `${emulator.url}/translator/document/batches?api-version=2024-05-01&statuses=NotStarted%2CRunning&createdDateTimeUtcEnd=x`,
    );
    page([batch.body], pageUrl(1));
    const before = deletes().length;

    const run = await runInProcess({ 'stale-after': '1d', ...credentials() });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      /UnexpectedResponse: the list's next-page links loop back to page 2: stopped\./,
    );
    expect(deletes().length).toBe(before);
  });

  it('reports a next-page link to another host under its own code, and sends nothing there', async () => {
    page([oldBatch().body], `${elsewhere.url}/translator/document/batches?api-version=2024-05-01&skip=1`);

    const run = await runInProcess({ 'stale-after': '1d', ...credentials() });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('ForeignPageLink: ');
    expect(run.errors[0]).toContain('not followed, so that the credential stays with the endpoint');
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('guard with dry-run', () => {
  it('sends no cancel in the post step either', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    const inputs = { 'job-id': id, ...credentials(), guard: 'true', 'dry-run': 'true' };
    const main = await runInProcess(inputs);

    const post = await runInProcess(inputs, { state: main.state });

    expect(post.exitCode).toBe(0);
    expect(emulator.requests.filter((r) => r.path.endsWith(id)).map((r) => r.method)).toEqual(['GET']);
    expect(emulator.batchStatus(id)).toMatchObject({ status: 'Running' });
    expect(post.log).toContain(`Would cancel batch ${id}`);
  });
});

describe('where the credential may go', () => {
  it('is refused for an endpoint that is not Azure AI services nor listed in allowed-hosts', async () => {
    const before = emulator.requests.length;

    const run = await runInProcess({
      'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
      endpoint: 'https://collector.example.com',
      'subscription-key': KEY,
    });

    expectOneLineFailure(
      run,
      'endpoint points at collector.example.com, which is not an Azure AI services host (*.cognitiveservices.azure.com, *.cognitiveservices.azure.us, *.cognitiveservices.azure.cn)',
    );
    expect(run.errors[0]).toContain('add it to allowed-hosts');
    expect(emulator.requests.length).toBe(before);
  });
});
