// Credentials, the action run in process: keyless sign-in with the workflow's OIDC token through Microsoft Entra,
// access tokens, exactly one kind of credential, secrets never printed, and proxies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { IdentityEmulator } from '../../scripts/emulator/identity.ts';
import type { ActionRun } from '../../scripts/run-action.ts';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { ForwardProxy } from '../support/forward-proxy.ts';
import { runInProcess } from '../support/run-in-process.ts';

const ACCESS_TOKEN = 'entra-access-token-9f8e7d6c5b4a';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT_ID = '66666666-7777-4888-9999-000000000000';
const TRUSTED_SUBJECT = 'repo:octo/app:pull_request';

const emulator = useEmulator({ accessTokens: [ACCESS_TOKEN, 'given-access-token-123456'] });
const identity = new IdentityEmulator({
  subject: TRUSTED_SUBJECT,
  trustedSubjects: [TRUSTED_SUBJECT],
  clientId: CLIENT_ID,
  tenantId: TENANT_ID,
  accessToken: ACCESS_TOKEN,
});
const untrusting = new IdentityEmulator({
  subject: 'repo:octo/app:ref:refs/heads/feature',
  trustedSubjects: [TRUSTED_SUBJECT],
  clientId: CLIENT_ID,
  tenantId: TENANT_ID,
  accessToken: ACCESS_TOKEN,
});
beforeAll(async () => {
  await identity.start();
  await untrusting.start();
});
afterAll(async () => {
  await identity.stop();
  await untrusting.stop();
});

function keyless(authority: IdentityEmulator, id: string): Record<string, string> {
  return {
    'job-id': id,
    endpoint: emulator.url,
    'client-id': CLIENT_ID,
    'tenant-id': TENANT_ID,
    'authority-host': authority.url,
  };
}

function expectNotPrinted(run: ActionRun, secrets: readonly string[]): void {
  const printed = run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of secrets) {
    expect(printed).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
  }
}

describe('keyless sign-in with the workflow OIDC token', () => {
  it('exchanges a trusted OIDC token at Entra and cancels with the access token as a bearer token', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess(keyless(identity, id), { env: identity.actionsEnv });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
    const [cancel] = deletesOf(emulator, id);
    expect(cancel?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(cancel?.headers).not.toHaveProperty('ocp-apim-subscription-key');
    const [form] = identity.tokenRequests.slice(-1);
    expect(form?.get('client_id')).toBe(CLIENT_ID);
    expect(form?.get('scope')).toBe('https://cognitiveservices.azure.com/.default');
    const oidcToken = identity.oidcTokens.at(-1) ?? '';
    expect(form?.get('client_assertion')).toBe(oidcToken);
    expect(run.log).toContain(`::add-mask::${ACCESS_TOKEN}`);
    expect(run.log).toContain(`::add-mask::${oidcToken}`);
    expectNotPrinted(run, [ACCESS_TOKEN, oidcToken, identity.requestToken]);
  });

  it("asks Entra for the scope of the endpoint's sovereign cloud, and says which cloud it assumed", async () => {
    const run = await runInProcess(
      {
        ...keyless(identity, '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c21'),
        endpoint: 'https://my-translator.cognitiveservices.azure.us',
        'max-retries': '0',
        timeout: '5',
      },
      { env: identity.actionsEnv },
    );

    const [form] = identity.tokenRequests.slice(-1);
    expect(form?.get('scope')).toBe('https://cognitiveservices.azure.us/.default');
    expect(run.log).toContain(
      `the Azure Government cloud, assumed from the endpoint's domain: scope https://cognitiveservices.azure.us/.default at ${identity.url} (authority-host)`,
    );
  });

  it('fails clearly when Entra does not trust the subject, showing the claims to match but no token', async () => {
    const id = emulator.addBatch();
    const before = emulator.requests.length;

    const run = await runInProcess(keyless(untrusting, id), { env: untrusting.actionsEnv });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    const [message = ''] = run.errors;
    expect(message).toContain(
      `Microsoft Entra refused the sign-in as client-id ${CLIENT_ID} in tenant ${TENANT_ID}`,
    );
    expect(message).toContain(
      "AADSTS70021: no federated credential of the application matches the workflow's token.",
    );
    expect(message).toContain('Add a federated credential with exactly that issuer and subject');
    expect(message).toMatch(/trace id [0-9a-f-]{36}, correlation id [0-9a-f-]{36}/);
    expect(message).toContain('subject "repo:octo/app:ref:refs/heads/feature"');
    expect(message).toContain('issuer "https://token.actions.githubusercontent.com"');
    expect(message).toContain('audience "api://AzureADTokenExchange"');
    expect(run.outputs).toMatchObject({
      outcome: 'error',
      'error-code': 'SignInFailed',
      'error-message': message,
    });
    expect(emulator.requests.length).toBe(before);
    expectNotPrinted(run, [untrusting.oidcTokens.at(-1) ?? 'none', untrusting.requestToken]);
  });

  it('says to grant id-token: write when the workflow has no OIDC token', async () => {
    const run = await runInProcess(keyless(identity, emulator.addBatch()));

    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "Keyless sign-in needs the workflow's OIDC token, and this job has none: add `permissions: id-token: write` to the job. A pull_request from a fork never gets one; use a key there.",
    ]);
  });
});

describe('access-token', () => {
  it('is sent as a bearer token and masked', async () => {
    const id = emulator.addBatch();

    const run = await runInProcess({
      'job-id': id,
      endpoint: emulator.url,
      'access-token': 'given-access-token-123456',
    });

    expect(run.exitCode).toBe(0);
    const [cancel] = deletesOf(emulator, id);
    expect(cancel?.headers.authorization).toBe('Bearer given-access-token-123456');
    expect(run.log.split('\n')[0]).toBe('::add-mask::given-access-token-123456');
    expectNotPrinted(run, ['given-access-token-123456']);
  });
});

describe('exactly one kind of credential', () => {
  it.each([
    [
      { 'subscription-key': 'key-0123456789', 'access-token': 'token-0123456789' },
      'Give one credential, not several: subscription-key and access-token are both set.',
    ],
    [
      { 'subscription-key': 'key-0123456789', 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID },
      'Give one credential, not several: subscription-key and client-id are both set.',
    ],
    [{ 'client-id': CLIENT_ID }, 'client-id is set but tenant-id is not'],
    [{ 'tenant-id': TENANT_ID }, 'tenant-id is set but client-id is not'],
    [
      { 'client-id': 'my-app', 'tenant-id': TENANT_ID },
      'client-id "my-app" is not an application (client) id',
    ],
    [
      { 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, 'authority-host': 'http://login.example.com' },
      'authority-host must use https://',
    ],
    [{}, 'No credential: set subscription-key'],
  ])('%j fails with one line and sends nothing', async (credential, message) => {
    const before = emulator.requests.length;

    const run = await runInProcess({ 'job-id': emulator.addBatch(), endpoint: emulator.url, ...credential });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(emulator.requests.length).toBe(before);
  });
});

describe('proxies', () => {
  const proxy = new ForwardProxy();
  beforeAll(() => proxy.start());
  afterAll(() => proxy.stop());

  it('HTTP_PROXY carries the requests to Entra and to the service', async () => {
    const id = emulator.addBatch();
    proxy.targets.length = 0;

    const run = await runInProcess(keyless(identity, id), {
      env: { ...identity.actionsEnv, HTTP_PROXY: proxy.url },
    });

    expect(run.exitCode).toBe(0);
    expect(proxy.targets).toContain(new URL(identity.url).host);
    expect(proxy.targets).toContain(new URL(emulator.url).host);
  });

  it('no_proxy exempts a host, in either case of the variable names', async () => {
    const exempt = new Emulator({ accessTokens: [ACCESS_TOKEN] });
    await exempt.start(0, '127.0.0.2');
    try {
      proxy.targets.length = 0;

      const run = await runInProcess(
        { ...keyless(identity, exempt.addBatch()), endpoint: exempt.url },
        { env: { ...identity.actionsEnv, http_proxy: proxy.url, no_proxy: '127.0.0.2' } },
      );

      expect(run.errors).toEqual([]);
      expect(exempt.requests.map((request) => request.method)).toEqual(['DELETE', 'GET']);
      // The workflow's OIDC token, then Entra's.
      expect(proxy.targets).toEqual([new URL(identity.url).host, new URL(identity.url).host]);
    } finally {
      await exempt.stop();
    }
  });
});
