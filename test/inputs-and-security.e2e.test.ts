// Bad input fails with one clear line and sends nothing; the key goes nowhere but the endpoint and
// is never printed; text from the service cannot act as a workflow command.
import { describe, expect, it } from 'vitest';
import { Emulator } from './emulator/emulator.ts';
import { useEmulator } from './support/emulator-fixture.ts';
import { type ActionRun, runAction } from './support/run-action.ts';

const emulator = useEmulator();
const JOB = '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec';

function expectOneLineFailure(run: ActionRun, mentions: string): void {
  expect(run.exitCode).toBe(1);
  expect(run.errors).toHaveLength(1);
  expect(run.errors[0]).toContain(mentions);
  expect(run.errors[0]).not.toContain('%0A');
  expect(run.log).not.toMatch(/^\s+at /m);
}

describe('bad input fails with one line that says what to fix, and sends no request', () => {
  const cases: Array<[string, () => Record<string, string>, string]> = [
    ['no job', () => ({ endpoint: emulator.url, 'subscription-key': 'test-key-0000' }), 'No job given'],
    [
      'a job id that is not a GUID',
      () => ({ 'job-id': '12345', endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'job-id "12345" is neither a job id',
    ],
    [
      'an Operation-Location of an unknown shape',
      () => ({
        'operation-location': `${emulator.url}/translator/other/${JOB}`,
        'subscription-key': 'test-key-0000',
      }),
      'operation-location',
    ],
    [
      'Operation-Locations on two different resources',
      () => ({
        'job-id': `https://one.cognitiveservices.azure.com/translator/document/batches/${JOB}`,
        'operation-location':
          'https://two.cognitiveservices.azure.com/translator/document/batches/0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11',
        'subscription-key': 'test-key-0000',
      }),
      'The jobs are on different resources (one.cognitiveservices.azure.com and two.cognitiveservices.azure.com)',
    ],
    [
      'one good and one malformed id in a list',
      () => ({ 'job-id': `${JOB}\nnot-a-job`, endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'job-id "not-a-job" is neither a job id',
    ],
    [
      'job ids together with stale-after',
      () => ({
        'job-id': JOB,
        'stale-after': '2h',
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
      }),
      'Give either job ids (job-id, operation-location) or stale-after, not both.',
    ],
    [
      'a stale-after that is not a duration',
      () => ({ 'stale-after': '2 hours', endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'stale-after "2 hours" is not a duration',
    ],
    [
      'stale-after without an endpoint',
      () => ({ 'stale-after': '2h', 'subscription-key': 'test-key-0000' }),
      'endpoint is required',
    ],
    [
      'a max-jobs of 0',
      () => ({ 'job-id': JOB, 'max-jobs': '0', endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'max-jobs must be from 1 to 100000.',
    ],
    [
      'a dry-run that is not a boolean',
      () => ({
        'job-id': JOB,
        'dry-run': 'maybe',
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
      }),
      'dry-run must be true or false.',
    ],
    [
      'a max-retries that is not a number',
      () => ({
        'job-id': JOB,
        'max-retries': 'many',
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
      }),
      'max-retries must be a whole number from 0 to 99.',
    ],
    [
      'a timeout of 0',
      () => ({ 'job-id': JOB, timeout: '0', endpoint: emulator.url, 'subscription-key': 'test-key-0000' }),
      'timeout must be more than 0',
    ],
    [
      'a job id without an endpoint',
      () => ({ 'job-id': JOB, 'subscription-key': 'test-key-0000' }),
      'endpoint is required',
    ],
    [
      'an endpoint that is not a URL',
      () => ({ 'job-id': JOB, endpoint: 'my-translator', 'subscription-key': 'test-key-0000' }),
      'endpoint "my-translator" is not a URL',
    ],
    [
      'an endpoint that is not http(s)',
      () => ({
        'job-id': JOB,
        endpoint: 'ftp://my-translator.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'must be an https:// URL',
    ],
    [
      'plain http to a host that is not loopback',
      () => ({
        'job-id': JOB,
        endpoint: 'http://my-translator.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'must use https://',
    ],
    [
      'no credential',
      () => ({ 'job-id': JOB, endpoint: emulator.url }),
      'No credential: set subscription-key',
    ],
    [
      'an unknown policy action',
      () => ({
        'job-id': JOB,
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
        'error-policy': '404: explode',
      }),
      'unknown action "explode"',
    ],
    [
      'a policy line that is not KEY: action',
      () => ({
        'job-id': JOB,
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
        'error-policy': 'fail everything',
      }),
      'is not of the form KEY: fail|warn|ignore',
    ],
    [
      'a malformed api-version',
      () => ({
        'job-id': JOB,
        endpoint: emulator.url,
        'subscription-key': 'test-key-0000',
        'api-version': 'v1.1',
      }),
      'api-version must be YYYY-MM-DD',
    ],
    [
      'an Operation-Location on a host that is not Azure, without an endpoint',
      () => ({
        'operation-location': `https://collector.example.com/translator/document/batches/${JOB}`,
        'subscription-key': 'test-key-0000',
      }),
      'points at collector.example.com, which is not an Azure AI services host',
    ],
    [
      'an Operation-Location on another host than the endpoint',
      () => ({
        'operation-location': `https://other.cognitiveservices.azure.com/translator/document/batches/${JOB}`,
        endpoint: 'https://mine.cognitiveservices.azure.com',
        'subscription-key': 'test-key-0000',
      }),
      'they must be the same resource',
    ],
  ];

  it.each(cases)('%s', async (_name, inputs, mentions) => {
    const before = emulator.requests.length;

    const run = await runAction(inputs());

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
    const run = await runAction({ endpoint: keyed.url, 'subscription-key': KEY, ...inputs() });

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

      const run = await runAction({ 'job-id': id, endpoint: keyed.url, 'subscription-key': KEY });

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

    const run = await runAction({
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
});
