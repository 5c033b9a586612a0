// What people paste, end to end through the bundle: values from a Windows editor (CRLF) with
// comments, a curl header line, an endpoint with a batch's path or in quotes, the Azure portal's
// address, ids separated by semicolons or with a look-alike character, an Operation-Location with
// its own api-version, a proxy variable that is no proxy. Each works as meant, or fails in one line
// with an error-code; the details of each parser are in test/unit/pastes.test.ts.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });
const key = () => ({ 'subscription-key': emulator.subscriptionKey });
const locationOf = (id: string, version = '2024-05-01') =>
  `${emulator.url}/translator/document/batches/${id}?api-version=${version}`;

describe('pastes that work as meant', () => {
  it('error-policy and job-id with CRLF lines and # comments', async () => {
    const finished = emulator.addBatch({ status: 'Succeeded' });
    const running = emulator.addBatch();

    const run = await runAction({
      ...key(),
      endpoint: emulator.url,
      'job-id': `# this PR's batches\r\n${finished} # done already\r\n${running}\r\n`,
      'error-policy': '# mine\r\nAlreadyFinished: IGNORE \r\n*: fail # why\r\n',
    });

    expect(run.exitCode).toBe(0);
    expect(run.warnings).toEqual([]);
    expect(run.outputs.outcome).toBe('Mixed');
    expect(deletesOf(emulator, running)).toHaveLength(1);
  });

  it('an Operation-Location header line as curl -i prints it', async () => {
    const id = emulator.addBatch();

    const run = await runAction({ ...key(), 'job-id': `operation-location: ${locationOf(id)}` });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', 'job-id': id });
  });

  it("an endpoint with the batch's whole path, and one in quotes", async () => {
    const id = emulator.addBatch();
    const other = emulator.addBatch();

    const withPath = await runAction({
      ...key(),
      'job-id': id,
      endpoint: `${emulator.url}/translator/document/batches/${id}`,
    });
    const quoted = await runAction({ ...key(), 'job-id': other, endpoint: `"${emulator.url}"` });

    expect(withPath.outputs.outcome).toBe('cancel-requested');
    expect(withPath.log).toContain(`taken as the resource's root, ${emulator.url}.`);
    expect(deletesOf(emulator, id).map((request) => request.path)).toEqual([
      `/translator/document/batches/${id}`,
    ]);
    expect(quoted.outputs.outcome).toBe('cancel-requested');
  });

  it("an Operation-Location's own api-version, while the input is at its default", async () => {
    const id = emulator.addBatch();

    const run = await runAction({ ...key(), 'operation-location': locationOf(id, '2025-12-01-preview') });

    expect(run.exitCode).toBe(0);
    expect(deletesOf(emulator, id)[0]?.query['api-version']).toBe('2025-12-01-preview');
    expect(run.log).toContain('Using api-version 2025-12-01-preview, the one the Operation-Location names');
  });
});

describe('pastes refused in one line that says what to paste instead', () => {
  it.each([
    [
      "the Azure portal's address as the endpoint",
      {
        endpoint:
          'https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/5f2c/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/contoso-translator/overview',
      },
      'likely https://contoso-translator.cognitiveservices.azure.com',
    ],
    [
      'ids separated by semicolons',
      { 'job-id': '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec;0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11' },
      'give them one per line, or separated by commas',
    ],
    [
      'an id with a zero-width space',
      { 'job-id': '9dce0aa9-\u200b78dc-41ba-8cae-2e2f3c2ff8ec' },
      '9dce0aa9-\\u200b78dc',
    ],
  ])('%s', async (_, given, says) => {
    const run = await runAction({
      endpoint: emulator.url,
      ...key(),
      'job-id': emulator.addBatch(),
      ...given,
    });

    expectOneLineFailure(run, says);
    expect(run.outputs).toMatchObject({ outcome: 'error', 'error-code': 'InvalidInput' });
  });

  it('HTTPS_PROXY that is no proxy is named, never an unexpected error', async () => {
    const run = await runAction(
      {
        endpoint: 'https://contoso.cognitiveservices.azure.com',
        ...key(),
        'job-id': emulator.addBatch(),
        'max-retries': '0',
      },
      { env: { HTTPS_PROXY: 'not-a-url' } },
    );

    expectOneLineFailure(run, 'the proxy HTTPS_PROXY (http://not-a-url) could not be reached');
    expect(run.outputs['error-code']).toBe('ProxyError');
  });
});
