// Bad input fails with one clear line and sends nothing; the key goes nowhere but the endpoint and
// is never printed; text from the service cannot act as a workflow command.
import { describe, expect, it } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { useEmulator } from '../support/emulator-fixture.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';
import { runInProcess } from '../support/run-in-process.ts';

const emulator = useEmulator();
const JOB = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';

describe('bad input fails with one line that says what to fix, and sends no request', () => {
  // The rest of the bad inputs are in test/unit/inputs.test.ts, in-process: these prove the wiring.
  const cases: Array<[string, () => Record<string, string>, string]> = [
    ['no batch', () => ({ endpoint: emulator.url, 'subscription-key': 'test-key-0000' }), 'No batch given'],
    [
      'a job id that is not a GUID',
      () => ({ 'job-id': '12345', endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'job-id "12345" is neither a job id',
    ],
    [
      'an endpoint that is not a URL',
      () => ({ 'job-id': JOB, endpoint: 'my-translator', 'subscription-key': 'test-key-0000' }),
      'endpoint "my-translator" is not a URL',
    ],
  ];

  it.each(cases)('%s', async (_name, inputs, mentions) => {
    const before = emulator.requests.length;

    const run = await runInProcess(inputs());

    expectOneLineFailure(run, mentions);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('the key', () => {
  const KEY = 'secret-key-0123456789abcdef';
  const keyed = useEmulator({ subscriptionKey: KEY });

  it.each([
    ['a cancel', () => ({ 'job-id': keyed.addBatch() })],
    ['an already finished batch', () => ({ 'job-id': keyed.addBatch({ status: 'Succeeded' }) })],
    ['an unknown job', () => ({ 'job-id': JOB })],
    ['a bad input', () => ({ 'job-id': KEY })],
  ])('is masked first and never printed nor put in an output, after %s', async (_name, inputs) => {
    const run = await runInProcess({ endpoint: keyed.url, 'subscription-key': KEY, ...inputs() });

    const lines = run.log.split('\n');
    expect(lines[0]).toBe(`::add-mask::${KEY}`);
    expect(lines.slice(1).join('\n')).not.toContain(KEY);
    expect(JSON.stringify(run.outputs)).not.toContain(KEY);
  });

  it('is not carried along a redirect to another host', async () => {
    const elsewhere = new Emulator();
    await elsewhere.start();
    try {
      const id = keyed.addBatch();
      const location = `${elsewhere.url}/translator/document/batches/${id}?api-version=2024-05-01`;
      keyed.addFault({ batchId: id, method: 'DELETE', status: 307, body: '', headers: { location } });
      const before = keyed.requests.length;

      const run = await runInProcess({ 'job-id': id, endpoint: keyed.url, 'subscription-key': KEY });

      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(`redirect to ${location}; redirects are not followed`);
      expect(keyed.requests.length).toBe(before + 1);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('text from the service', () => {
  it('cannot act as a workflow command', async () => {
    const id = emulator.addBatch();
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 500,
      body: JSON.stringify({
        error: {
          code: 'InternalServerError',
          message: 'boom\n::set-output name=status::Succeeded\n::error::injected',
          innerError: { code: '::warning::x', message: '\r\n::add-mask::nothing' },
        },
      }),
    });

    const run = await runInProcess({
      'job-id': id,
      endpoint: emulator.url,
      'subscription-key': emulator.subscriptionKey,
      'max-retries': '0',
    });

    // The key and the workflow token are masked; then the one failure.
    const commands = run.log.split('\n').filter((line) => line.trim().startsWith('::'));
    expect(commands.map((line) => line.slice(0, line.indexOf('::', 2) + 2))).toEqual([
      '::add-mask::',
      '::add-mask::',
      '::error::',
    ]);
    expect(run.errors).toHaveLength(1);
    expect(run.outputs.status).toBe('');
  });

  it("cannot end an output's entry early: a message that holds the delimiter is one output's value", async () => {
    const id = emulator.addBatch();
    const message = 'boom\nghadelimiter_cancel-document-translation\nstatus<<x\nSucceeded\nx';
    emulator.addFault({
      batchId: id,
      method: 'DELETE',
      status: 500,
      body: JSON.stringify({ error: { code: 'InternalServerError', message } }),
    });

    const run = await runInProcess({
      'job-id': id,
      endpoint: emulator.url,
      'subscription-key': emulator.subscriptionKey,
      'max-retries': '0',
    });

    expect(run.outputs['error-message']).toBe(message);
    expect(run.outputs.status).toBe('');
    expect(run.outputs['error-code']).toBe('InternalServerError');
  });
});
