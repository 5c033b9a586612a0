// The action, run in process, against the emulator's faults: transient failures retried. The step
// timeout and waiting are test/action/time-limits.test.ts; the runner's cancel signal needs a process:
// test/e2e/runner-signals.test.ts.
import { describe, expect, it } from 'vitest';
import { deletesOf, inputsFor, useEmulator } from '../support/emulator-fixture.ts';
import { runInProcess } from '../support/run-in-process.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

describe('transient failures are retried', () => {
  it('429 twice then 200: cancelled, waiting as long as Retry-After says between attempts', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 429,
      times: 2,
      headers: { 'retry-after': '1' },
    });

    const run = await runInProcess(inputsFor(emulator, id));

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
    const times = deletesOf(emulator, id).map((request) => request.at);
    expect(times).toHaveLength(3);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(950);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(run.log).toMatch(
      /Cancel of batch \S+: HTTP 429 \(request id [0-9a-f-]+\); retrying in 1\.0 s \(attempt 2 of 5\)\./,
    );
  });

  it('503 then 500 then 200: cancelled after backing off', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', status: 503 });
    emulator.addFault({ batchId: id, method: 'DELETE', status: 500 });

    const run = await runInProcess(inputsFor(emulator, id));

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
    expect(deletesOf(emulator, id)).toHaveLength(3);
    expect(run.log).toContain('(attempt 3 of 5)');
  });

  it('max-retries: 0 sends one request and reports its failure', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', status: 503 });

    const run = await runInProcess(inputsFor(emulator, id, { 'max-retries': '0' }));

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ServiceUnavailable');
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it('an error that is not transient is not retried', async () => {
    const run = await runInProcess(inputsFor(emulator, '7a6f2c3e-1111-4b4b-9c9c-000000000001'));

    expect(run.outputs['error-code']).toBe('ResourceNotFound');
    expect(deletesOf(emulator, '7a6f2c3e-1111-4b4b-9c9c-000000000001')).toHaveLength(1);
  });

  it("a proxy's HTML 502 on every attempt ends in an error naming HTTP 502, the request id and the attempts", async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 502,
      times: 2,
      body: '<html><body>Bad Gateway</body></html>',
      contentType: 'text/html',
    });

    const run = await runInProcess(inputsFor(emulator, id, { 'max-retries': '1' }));

    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-code']).toBe('ServiceUnavailable');
    expect(run.errors[0]).toContain(`HTTP 502, request id ${run.outputs['request-id']}, after 2 attempts`);
  });

  it('a cancel whose answer was lost and that succeeded is reported as requested when its retry is refused', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', status: 503, processFirst: true });

    const run = await runInProcess(inputsFor(emulator, id));

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
    expect(deletesOf(emulator, id)).toHaveLength(2);
  });

  it('an answer cut off mid-body is retried; without retries the error names its HTTP status and request id', async () => {
    const retried = emulator.addBatch();
    emulator.addFault({
      batchId: retried,
      method: 'DELETE',
      status: 200,
      truncate: true,
      body: JSON.stringify({ id: retried }),
    });
    const once = emulator.addBatch();

    const withRetries = await runInProcess(inputsFor(emulator, retried));
    emulator.addFault({
      batchId: once,
      method: 'DELETE',
      status: 200,
      truncate: true,
      body: JSON.stringify({ id: once }),
    });
    const withoutRetries = await runInProcess(inputsFor(emulator, once, { 'max-retries': '0' }));

    expect(withRetries.exitCode).toBe(0);
    expect(withRetries.outputs.outcome).toBe('cancel-requested');
    expect(withoutRetries.exitCode).toBe(1);
    expect(withoutRetries.outputs['error-code']).toBe('NetworkError');
    expect(withoutRetries.errors[0]).toMatch(/HTTP 200 \(request id [0-9a-f-]{36}\) with its body cut off/);
  });

  it('a 200 whose body is not a status is completed with a status GET', async () => {
    const id = emulator.addBatch({ documents: 7 });
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 200,
      body: '<html>OK</html>',
      contentType: 'text/html',
      processFirst: true,
    });

    const run = await runInProcess(inputsFor(emulator, id));

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling', total: '7' });
  });
});
