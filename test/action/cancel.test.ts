// The action run in process against the emulator, with what a runner gives it: one test per behaviour
// of a cancel.
import { describe, expect, it } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { runInProcess } from '../support/run-in-process.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });
// Turns a cancelled batch Cancelled within a wait.
const quick = useEmulator({ cancelDelayMs: 1500 });

function credentials(): Record<string, string> {
  return { endpoint: emulator.url, 'subscription-key': emulator.subscriptionKey };
}

function operationLocation(id: string): string {
  return `${emulator.url}/translator/document/batches/${id}?api-version=2024-05-01`;
}

describe('a batch that is queued or running', () => {
  it('is cancelled by job id and endpoint, and the outputs carry its status and counts', async () => {
    const id = emulator.addBatch({ status: 'Running', documents: 5, succeeded: 2, charactersCharged: 1234 });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({
      'job-id': id,
      status: 'Cancelling',
      outcome: 'cancel-requested',
      total: '5',
      success: '2',
      failed: '0',
      'in-progress': '3',
      'not-yet-started': '0',
      cancelled: '0',
      'total-character-charged': '1234',
      'error-code': '',
    });
    expect(run.outputs['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.outputs['created-date-time-utc']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(run.outputs['last-action-date-time-utc']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(run.log).toContain(`Cancel requested for batch ${id}: status Cancelling`);
    const [deleteRequest] = deletesOf(emulator, id);
    expect(deleteRequest?.query['api-version']).toBe('2024-05-01');
    expect(deleteRequest?.headers['ocp-apim-subscription-key']).toBe(emulator.subscriptionKey);
  });

  it('writes every declared output, with results as a JSON array of one entry per job', async () => {
    const id = emulator.addBatch({ documents: 2 });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    const results = JSON.parse(run.outputs.results ?? '') as unknown[];
    expect(results).toEqual([
      {
        id,
        status: 'Cancelling',
        outcome: 'cancel-requested',
        summary: expect.objectContaining({ total: 2, notYetStarted: 0, inProgress: 2 }),
        error: null,
        requestId: run.outputs['request-id'],
      },
    ]);
  });

  it('is cancelled from the Operation-Location the live service returns, with no endpoint input', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'job-id': operationLocation(id),
      'subscription-key': emulator.subscriptionKey,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ 'job-id': id, outcome: 'cancel-requested' });
  });

  it('is cancelled from the Operation-Location shape of the documentation page (no /batches/)', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'operation-location': `${emulator.url}/translator/document/${id}?api-version=2024-05-01`,
      'subscription-key': emulator.subscriptionKey,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
  });

  it('is cancelled from a legacy v1.1 Operation-Location, through the current API', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'operation-location': `${emulator.url}/translator/text/batch/v1.1/batches/${id}`,
      'subscription-key': emulator.subscriptionKey,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
  });

  it('accepts a job id in upper case and reports it as the service writes it', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({ 'job-id': id.toUpperCase(), ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs['job-id']).toBe(id);
  });

  it('accepts the same job in both job-id and operation-location', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'job-id': id,
      'operation-location': operationLocation(id),
      'subscription-key': emulator.subscriptionKey,
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
  });

  it('sends the region header only when region is given', async () => {
    const withRegion = emulator.addBatch();
    const withoutRegion = emulator.addBatch();

    await runInProcess({ 'job-id': withRegion, region: 'westeurope', ...credentials() });
    await runInProcess({ 'job-id': withoutRegion, ...credentials() });

    const headersFor = (id: string) => emulator.requests.find((r) => r.path.endsWith(id))?.headers ?? {};
    expect(headersFor(withRegion)['ocp-apim-subscription-region']).toBe('westeurope');
    expect(headersFor(withoutRegion)).not.toHaveProperty('ocp-apim-subscription-region');
  });

  it('sends the api-version it is given', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'api-version': '2026-03-01' });

    expect(run.exitCode).toBe(0);
    const [cancel] = deletesOf(emulator, id);
    expect(cancel?.query['api-version']).toBe('2026-03-01');
  });

  it('waits through Cancelling to Cancelled with no Retry-After on any answer, as the live service sends none', async () => {
    const id = quick.addBatch({ status: 'Running', documents: 4, succeeded: 1 });

    const run = await runInProcess({
      'job-id': id,
      endpoint: quick.url,
      'subscription-key': quick.subscriptionKey,
      wait: 'true',
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Cancelled', outcome: 'cancel-requested', cancelled: '3' });
    expect(quick.requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(1);
  });
});

describe('an answer with a status the action does not know', () => {
  it('warns under UnexpectedStatus, naming the status, and still reports the counts', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: JSON.stringify({ id, status: 'Pausing', summary: { total: 1, totalCharacterCharged: 7 } }),
    });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain('"Pausing"');
    expect(run.warnings[0]).toContain('error-policy key: UnexpectedStatus');
    expect(run.outputs).toMatchObject({
      status: 'Pausing',
      outcome: 'error',
      'error-code': 'UnexpectedStatus',
      total: '1',
      'total-character-charged': '7',
      failed: '',
    });
  });

  it('fails when the policy says UnexpectedStatus: fail', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: JSON.stringify({ id, status: 'Archived' }),
    });

    const run = await runInProcess({
      'job-id': id,
      ...credentials(),
      'error-policy': 'UnexpectedStatus: fail',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('"Archived"');
  });
});

describe('a 2xx answer whose body is not a status', () => {
  it("reads the batch's status instead, and reports what the status says", async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: '<html>ok</html>',
      contentType: 'text/html',
      processFirst: true,
    });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Cancelling', outcome: 'cancel-requested' });
  });

  it('fails under UnexpectedResponse when reading the status fails too, never passing with an empty status', async () => {
    const id = emulator.addBatch({ status: 'Running' });
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: '<html><body>Welcome to the proxy</body></html>',
      contentType: 'text/html',
    });
    emulator.addFault({
      batchId: id,
      method: 'GET',
      status: 502,
      body: 'Bad gateway',
      contentType: 'text/plain',
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ status: '', outcome: 'error', 'error-code': 'UnexpectedResponse' });
    expect(run.errors[0]).toContain('text/html');
    expect(run.errors[0]).toContain('reading its status afterwards failed too (ServiceUnavailable');
  });
});

describe('newer api-versions', () => {
  it.each(['2024-11-01-preview', '2025-12-01-preview', '2026-03-01'])(
    'work unchanged with %s, carrying the image counts the service sends',
    async (apiVersion) => {
      const id = emulator.addBatch({
        status: 'Running',
        documents: 2,
        charactersCharged: 90,
        imagesCharged: 3,
      });

      const run = await runInProcess({ 'job-id': id, ...credentials(), 'api-version': apiVersion });

      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', 'total-character-charged': '90' });
      const [result] = JSON.parse(run.outputs.results ?? '[]') as Array<{ summary: Record<string, number> }>;
      const chargesImages = apiVersion >= '2025-12-01';
      expect(result?.summary.totalImageScansSucceeded).toBe(3);
      expect(result?.summary.totalImageCharged).toBe(chargesImages ? 3 : undefined);
      expect(run.outputs['total-image-charged']).toBe(chargesImages ? '3' : '');
      expect(run.summary.includes('images charged</th>')).toBe(chargesImages);
    },
  );

  it('leave total-image-charged empty with 2024-05-01, which does not send it', async () => {
    const id = emulator.addBatch({ imagesCharged: 3 });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.outputs['total-image-charged']).toBe('');
    expect(run.summary).not.toContain('images charged');
  });
});

describe('a batch that can no longer be cancelled, as the live service answers: 200 with the batch unchanged', () => {
  it.each(['Succeeded', 'Failed', 'ValidationFailed'])(
    'warns by default when it had already finished as %s: nothing was cancelled, and what it was charged',
    async (status) => {
      const id = emulator.addBatch({ status, documents: 3, succeeded: 3, charactersCharged: 4200 });

      const run = await runInProcess({ 'job-id': id, ...credentials() });

      expect(run.exitCode).toBe(0);
      expect(run.errors).toEqual([]);
      expect(run.warnings).toHaveLength(1);
      const [warning = ''] = run.warnings;
      expect(warning).toContain(`Batch ${id} had already finished with status ${status} before the cancel`);
      expect(warning).toContain('nothing was cancelled');
      expect(warning).toContain('charged for 4,200 characters (3 of 3 documents translated)');
      expect(warning).toContain(`request id ${run.outputs['request-id']}`);
      expect(warning).toContain('error-policy key: AlreadyFinished');
      expect(run.outputs).toMatchObject({
        status,
        outcome: 'already-finished',
        total: '3',
        success: '3',
        'total-character-charged': '4200',
        'error-code': '',
        'error-message': '',
      });
      expect(run.outputs['created-date-time-utc']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(run.outputs['last-action-date-time-utc']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(emulator.requests.filter((r) => r.path.endsWith(id)).map((r) => r.method)).toEqual(['DELETE']);
    },
  );

  it('fails when the policy says AlreadyFinished: fail', async () => {
    const id = emulator.addBatch({ status: 'Succeeded' });

    const run = await runInProcess({
      'job-id': id,
      ...credentials(),
      'error-policy': 'AlreadyFinished: fail',
    });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('nothing was cancelled');
    expect(run.outputs.outcome).toBe('already-finished');
  });

  it('says nothing louder than a log line when the policy says AlreadyFinished: ignore', async () => {
    const id = emulator.addBatch({ status: 'Succeeded' });

    const run = await runInProcess({
      'job-id': id,
      ...credentials(),
      'error-policy': 'alreadyfinished: ignore',
    });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.errors).toEqual([]);
    expect(run.log).toContain('had already finished');
  });

  it('passes quietly as already-cancelled when it was Cancelled', async () => {
    const id = emulator.addBatch({ status: 'Cancelled', documents: 4 });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({
      status: 'Cancelled',
      outcome: 'already-cancelled',
      total: '4',
      cancelled: '4',
      'error-code': '',
    });
    expect(run.log).toContain(`Batch ${id} had already been cancelled`);
  });

  it('reports a batch still Cancelling as a cancel requested: nothing tells it from one this cancel started', async () => {
    const id = emulator.addBatch({ status: 'Cancelling' });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'Cancelling', outcome: 'cancel-requested' });
  });
});

describe('a batch that can no longer be cancelled, as the docs say: 400 or 409, confirmed with a GET', () => {
  const documented = useEmulator({ finishedCancelStatus: 400, cancelDelayMs: 60_000 });
  const conflicting = useEmulator({ finishedCancelStatus: 409 });

  function documentedCredentials(): Record<string, string> {
    return { endpoint: documented.url, 'subscription-key': documented.subscriptionKey };
  }

  it.each(['Cancelled', 'Cancelling'])('passes as already-cancelled when it is %s', async (status) => {
    const id = documented.addBatch({ status, documents: 4 });

    const run = await runInProcess({ 'job-id': id, ...documentedCredentials() });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.outputs).toMatchObject({ status, outcome: 'already-cancelled', total: '4', 'error-code': '' });
    expect(documented.requests.filter((r) => r.path.endsWith(id)).map((r) => r.method)).toEqual([
      'DELETE',
      'GET',
    ]);
  });

  it.each(['Succeeded', 'Failed', 'ValidationFailed'])(
    'warns by default when it had already finished as %s, quoting the refusal and the charges from the status',
    async (status) => {
      const id = documented.addBatch({ status, documents: 3, succeeded: 3, charactersCharged: 4200 });

      const run = await runInProcess({ 'job-id': id, ...documentedCredentials() });

      expect(run.exitCode).toBe(0);
      expect(run.errors).toEqual([]);
      expect(run.warnings).toHaveLength(1);
      expect(run.warnings[0]).toContain(`Batch ${id} had already finished with status ${status}`);
      expect(run.warnings[0]).toContain('charged for 4,200 characters');
      expect(run.warnings[0]).toContain('The service refused the cancel: InvalidRequest');
      expect(run.warnings[0]).toContain('error-policy key: AlreadyFinished');
      expect(run.outputs).toMatchObject({
        status,
        outcome: 'already-finished',
        success: '3',
        'total-character-charged': '4200',
        'error-code': 'InvalidRequest',
        'error-message': `Cannot cancel a translation in status ${status}.`,
        'error-target': 'Operation',
      });
    },
  );

  it('reads a 409 the same way as a 400', async () => {
    const id = conflicting.addBatch({ status: 'Succeeded' });

    const run = await runInProcess({
      'job-id': id,
      endpoint: conflicting.url,
      'subscription-key': conflicting.subscriptionKey,
    });

    expect(run.outputs.outcome).toBe('already-finished');
    expect(run.warnings[0]).toContain('HTTP 409');
  });

  it('does not claim a batch is running when the refused cancel meets a stale cached status', async () => {
    const cached = new Emulator({ staleCacheMs: 60_000, cancelDelayMs: 60_000, finishedCancelStatus: 400 });
    await cached.start();
    try {
      const id = cached.addBatch();
      const inputs = { 'job-id': id, endpoint: cached.url, 'subscription-key': cached.subscriptionKey };
      await runInProcess(inputs);

      const second = await runInProcess({ ...inputs, timeout: '3' });

      expect(second.exitCode).toBe(1);
      expect(second.outputs.outcome).toBe('error');
      expect(second.errors[0]).toContain('may already be Cancelling');
    } finally {
      await cached.stop();
    }
  });
});

describe('errors', () => {
  it('fails on an unknown job, naming the job id, the request id and what to check', async () => {
    const id = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11';

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    const [message = ''] = run.errors;
    expect(message).toContain(id);
    expect(message).toContain(run.outputs['request-id']);
    expect(message).toContain('Check the job id');
    expect(run.outputs).toMatchObject({
      outcome: 'error',
      status: '',
      total: '',
      'error-code': 'ResourceNotFound',
      'error-message': 'id not found',
      'error-target': 'Operation',
      'inner-error-code': 'ResourceNotFound',
      'inner-error-message': 'id not found',
    });
  });

  it('warns instead when the policy names the error code', async () => {
    const run = await runInProcess({
      'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c12',
      ...credentials(),
      'error-policy': 'ResourceNotFound: warn',
    });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toHaveLength(1);
  });

  it('lets the error code beat the HTTP status, and the HTTP status beat *', async () => {
    const unknownJob = { 'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c13', ...credentials() };

    const byCode = await runInProcess({
      ...unknownJob,
      'error-policy': '404: fail\nResourceNotFound: ignore',
    });
    const byStatus = await runInProcess({ ...unknownJob, 'error-policy': '*: fail, 404: ignore' });

    expect(byCode.exitCode).toBe(0);
    expect(byStatus.exitCode).toBe(0);
    expect(byStatus.log).toContain('error-policy key: 404');
  });

  it("reads the API gateway's 401 for a bad key as Unauthorized and says which input to check", async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'job-id': id,
      endpoint: emulator.url,
      'subscription-key': 'not-the-key',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('Unauthorized');
    expect(run.outputs['error-message']).toContain('Access denied due to invalid subscription key');
    expect(run.errors[0]).toContain('Check that subscription-key');
    expect(run.errors[0]).toContain('HTTP 401');
  });

  it('reads a 404 with an empty body as ResourceNotFound', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', status: 404, body: '', contentType: '' });

    const run = await runInProcess({ 'job-id': id, ...credentials() });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ResourceNotFound');
    expect(run.outputs['error-message']).toBe('HTTP 404 with an empty body.');
  });

  it("reads a proxy's HTML 502 as ServiceUnavailable without a parser error", async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 502,
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      contentType: 'text/html',
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ServiceUnavailable');
    expect(run.errors[0]).toContain('HTTP 502');
    expect(run.errors[0]).toContain('text/html');
    expect(run.log).not.toMatch(/SyntaxError|Unexpected token|JSON/);
  });

  it('keeps a documented error code from the body', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', status: 500 });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.outputs).toMatchObject({
      'error-code': 'InternalServerError',
      'inner-error-code': 'InternalServerError',
      'error-message': 'Internal Server Error',
    });
  });

  it('renames an undocumented error code from the HTTP status', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 503,
      body: JSON.stringify({ error: { code: 'BackendOverloaded', message: 'Try later' } }),
    });

    const run = await runInProcess({ 'job-id': id, ...credentials(), 'max-retries': '0' });

    expect(run.outputs).toMatchObject({ 'error-code': 'ServiceUnavailable', 'error-message': 'Try later' });
  });

  it('fails clearly when nothing answers at the endpoint', async () => {
    const closed = new Emulator();
    const url = await closed.start();
    await closed.stop();

    const run = await runInProcess({
      'job-id': '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c14',
      endpoint: url,
      'subscription-key': 'test-key-0000',
      'max-retries': '0',
    });

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('NetworkError');
    expect(run.errors[0]).toContain('ECONNREFUSED');
    expect(run.log).not.toMatch(/^\s+at /m);
  });
});
