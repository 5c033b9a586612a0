// Where self-hosted and keyless users run it, end to end through the bundle: behind a company's
// proxy (every host over HTTPS through CONNECT, the proxy's own CA in NODE_EXTRA_CA_CERTS, the real
// host names), with credentials in the proxy's URL, NO_PROXY, a proxy that refuses; GitHub's OIDC
// token service failing once; and Microsoft Entra's refusals, each read by its AADSTS code.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ACTIONS_BOT, GitHubApiEmulator } from '../../scripts/emulator/github-api.ts';
import { IdentityEmulator, TRUSTED_WORKFLOW } from '../../scripts/emulator/identity.ts';
import { FAKE_GITHUB_TOKEN, runAction } from '../../scripts/run-action.ts';
import { deletesOf, useEmulator } from '../support/emulator-fixture.ts';
import { ForwardProxy, PROXY_CA_FILE, type ProxyOptions } from '../support/forward-proxy.ts';
import { expectCleanLog, expectOneLineFailure } from '../support/run-checks.ts';

const ACCESS_TOKEN = 'entra-access-token-5c4b3a291807';
const { clientId: CLIENT_ID, tenantId: TENANT_ID, subject: SUBJECT } = TRUSTED_WORKFLOW;
const RESOURCE = 'https://contoso-translator.cognitiveservices.azure.com';
const RESOURCE_TUNNEL = 'contoso-translator.cognitiveservices.azure.com:443';
const OIDC_URL = 'https://pipelines.actions.githubusercontent.com/oidc/token?api-version=2.0';

const emulator = useEmulator({ cancelDelayMs: 60_000, accessTokens: [ACCESS_TOKEN] });
const identityOptions = {
  subject: SUBJECT,
  trustedSubjects: [SUBJECT],
  clientId: CLIENT_ID,
  tenantId: TENANT_ID,
  accessToken: ACCESS_TOKEN,
};
const identity = new IdentityEmulator(identityOptions);
const github = new GitHubApiEmulator({ [FAKE_GITHUB_TOKEN]: ACTIONS_BOT });
beforeAll(async () => {
  await identity.start();
  await github.start();
});
afterAll(async () => {
  await identity.stop();
  await github.stop();
});

/** A company's proxy that ends every tunnel to the hosts the action talks to, with its own CA. */
async function companyProxy(options: ProxyOptions = {}): Promise<ForwardProxy> {
  const proxy = new ForwardProxy({
    intercept: {
      '*.cognitiveservices.azure.com': emulator.url,
      'login.microsoftonline.com': identity.url,
      '*.actions.githubusercontent.com': identity.url,
      'api.github.com': github.url,
    },
    ...options,
  });
  await proxy.start();
  onTestFinished(() => proxy.stop());
  return proxy;
}

/** The runner's environment behind `proxyUrl`: the proxy's CA trusted, the OIDC token service by its real name. */
function behind(proxyUrl: string, more: Record<string, string> = {}): Record<string, string> {
  return {
    HTTPS_PROXY: proxyUrl,
    NODE_EXTRA_CA_CERTS: PROXY_CA_FILE,
    ACTIONS_ID_TOKEN_REQUEST_URL: OIDC_URL,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: identity.requestToken,
    ...more,
  };
}

const keyCancel = (id: string) => ({
  'job-id': id,
  endpoint: RESOURCE,
  'subscription-key': emulator.subscriptionKey,
});
const keylessCancel = (id: string) => ({
  'job-id': id,
  endpoint: RESOURCE,
  'client-id': CLIENT_ID,
  'tenant-id': TENANT_ID,
});

/** A keyless cancel of batch `id` straight to the emulator (no proxy), signing in at `authority`. */
function keylessRun(id: string, inputs: Record<string, string> = {}, authority = identity) {
  return runAction(
    { ...keylessCancel(id), endpoint: emulator.url, 'authority-host': authority.url, ...inputs },
    { env: authority.actionsEnv },
  );
}

function pullRequestEvent(number: number, action: string): Record<string, string> {
  const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
  const pullRequest = { number, merged: action === 'closed', base: { ref: 'main' } };
  writeFileSync(path, JSON.stringify({ action, number, pull_request: pullRequest }));
  return { ...github.pullRequestEnv(path), GITHUB_API_URL: 'https://api.github.com' };
}

describe('behind a proxy, every host over HTTPS through CONNECT', () => {
  it("cancels with a key at the resource's real host name, and reads its counts, through one tunnel", async () => {
    const proxy = await companyProxy();
    const id = emulator.addBatch({ status: 'Running', documents: 4, succeeded: 1 });

    const run = await runAction(keyCancel(id), { env: behind(proxy.url) });

    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling', total: '4' });
    expect(emulator.requests.filter((request) => request.path.endsWith(id)).map((r) => r.method)).toEqual([
      'DELETE',
      'GET',
    ]);
    expect(proxy.targets).toEqual([RESOURCE_TUNNEL]);
  });

  it("signs in keylessly: the workflow's OIDC token, Microsoft Entra and the service, each through the proxy", async () => {
    const proxy = await companyProxy();
    const id = emulator.addBatch();

    const run = await runAction(keylessCancel(id), { env: behind(proxy.url) });

    expect(run.exitCode).toBe(0);
    expect(deletesOf(emulator, id)[0]?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(proxy.targets).toEqual([
      'pipelines.actions.githubusercontent.com:443',
      'login.microsoftonline.com:443',
      RESOURCE_TUNNEL,
    ]);
    expectCleanLog(run);
  });

  it("records a batch with track and stops it when the pull request closes, GitHub's API through the proxy too", async () => {
    const proxy = await companyProxy();
    const id = emulator.addBatch();
    const credentials = { endpoint: RESOURCE, 'subscription-key': emulator.subscriptionKey };

    const tracked = await runAction(
      { ...credentials, 'job-id': id, track: 'true' },
      { env: behind(proxy.url, pullRequestEvent(501, 'synchronize')) },
    );
    const closed = await runAction(
      { ...credentials, 'from-pull-request': 'true' },
      { env: behind(proxy.url, pullRequestEvent(501, 'closed')) },
    );

    expect(tracked.outputs.outcome).toBe('tracked');
    expect(closed.exitCode).toBe(0);
    expect(closed.outputs).toMatchObject({ outcome: 'cancel-requested', 'job-id': id });
    expect(deletesOf(emulator, id)).toHaveLength(1);
    expect(new Set(proxy.targets)).toEqual(new Set([RESOURCE_TUNNEL, 'api.github.com:443']));
  });

  it('goes through a proxy that asks for a user name and password, and prints neither', async () => {
    const password = 's3cret p@ss';
    const proxy = await companyProxy({ credentials: `ci-runner:${password}` });
    const at = new URL(proxy.url);
    const proxyUrl = `http://ci-runner:${encodeURIComponent(password)}@${at.host}`;
    const id = emulator.addBatch();

    const run = await runAction(keylessCancel(id), {
      env: behind(proxyUrl),
      secrets: [password, encodeURIComponent(password)],
    });

    expect(run.exitCode).toBe(0);
    expect(run.outputs.outcome).toBe('cancel-requested');
    expect(proxy.targets).toHaveLength(3);
  });

  it('sends a host that NO_PROXY names straight to it, and the others through the proxy', async () => {
    const proxy = await companyProxy();
    const id = emulator.addBatch();

    const run = await runAction(
      { ...keylessCancel(id), endpoint: emulator.url },
      { env: behind(proxy.url, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }) },
    );

    expect(run.exitCode).toBe(0);
    expect(deletesOf(emulator, id)).toHaveLength(1);
    expect(proxy.targets).toEqual([
      'pipelines.actions.githubusercontent.com:443',
      'login.microsoftonline.com:443',
    ]);
  });
});

describe('a proxy that refuses is named in one line, not the endpoint', () => {
  it.each<[string, ProxyOptions, string]>([
    ['asks for credentials it was not given (407)', { credentials: 'ci-runner:secret' }, 'answered HTTP 407'],
    ['cannot reach the host (502)', { refuse: 502 }, 'answered HTTP 502'],
    ['closes the connection', { refuse: 'close' }, 'did not open a tunnel'],
  ])('a proxy that %s', async (_, options, says) => {
    const proxy = await companyProxy(options);
    const id = emulator.addBatch();

    const run = await runAction({ ...keyCancel(id), 'max-retries': '0' }, { env: behind(proxy.url) });

    expectOneLineFailure(run, `the proxy HTTPS_PROXY (${proxy.url}) ${says}`);
    expect(run.errors[0]).toContain("Check the runner's proxy settings");
    expect(run.errors[0]).not.toContain('Check the endpoint');
    expect(run.outputs['error-code']).toBe('ProxyError');
    expect(deletesOf(emulator, id)).toEqual([]);
  });

  /** A run of `cancel` behind the company proxy, whose CA the runner was not given, with retries left. */
  async function behindUntrustedProxy(cancel: (id: string) => Record<string, string>) {
    const proxy = await companyProxy();
    const id = emulator.addBatch();
    const { NODE_EXTRA_CA_CERTS: _, ...untrusting } = behind(proxy.url);
    const run = await runAction({ ...cancel(id), 'max-retries': '3' }, { env: untrusting });
    return { run, proxy, id };
  }

  it("a proxy that presents its own CA's certificates, which the runner was not given: the fix is NODE_EXTRA_CA_CERTS", async () => {
    const { run, proxy, id } = await behindUntrustedProxy(keyCancel);

    expectOneLineFailure(
      run,
      `the TLS certificate of contoso-translator.cognitiveservices.azure.com, as the proxy HTTPS_PROXY (${proxy.url}) presents it, is not trusted`,
    );
    expect(run.errors[0]).toContain("give that CA's certificate in NODE_EXTRA_CA_CERTS.");
    expect(run.log).not.toContain('retrying');
    expect(deletesOf(emulator, id)).toEqual([]);
  });

  it('keyless sign-in behind that proxy, its CA not given: the fix is NODE_EXTRA_CA_CERTS, not another run', async () => {
    const { run, id } = await behindUntrustedProxy(keylessCancel);

    expectOneLineFailure(run, 'pipelines.actions.githubusercontent.com');
    expect(run.errors[0]).toContain("give that CA's certificate in NODE_EXTRA_CA_CERTS (after 1 attempt).");
    expect(run.errors[0]).not.toContain('run the job again');
    expect(run.outputs['error-code']).toBe('SignInFailed');
    expect(deletesOf(emulator, id)).toEqual([]);
  });

  it('a proxy nobody listens at', async () => {
    const proxy = await companyProxy();
    await proxy.stop();

    const run = await runAction(
      { ...keyCancel(emulator.addBatch()), 'max-retries': '0' },
      { env: behind(proxy.url) },
    );

    expectOneLineFailure(run, `the proxy HTTPS_PROXY (${proxy.url}) could not be reached (ECONNREFUSED)`);
    expect(run.outputs['error-code']).toBe('ProxyError');
  });

  it('keyless sign-in through a refusing proxy names the proxy too', async () => {
    const proxy = await companyProxy({ refuse: 407 });

    const run = await runAction(
      { ...keylessCancel(emulator.addBatch()), 'max-retries': '0' },
      { env: behind(proxy.url) },
    );

    expectOneLineFailure(run, `the proxy HTTPS_PROXY (${proxy.url}) answered HTTP 407`);
    expect(run.outputs['error-code']).toBe('SignInFailed');
  });

  it.each([
    ['http://', 'HTTPS_PROXY is not a proxy\'s URL ("http://")'],
    ['socks5://127.0.0.1:1080', 'HTTPS_PROXY names a socks5 proxy ("socks5://127.0.0.1:1080")'],
  ])('HTTPS_PROXY=%s stops the step before anything is sent, naming the variable', async (value, says) => {
    const id = emulator.addBatch();

    const run = await runAction(keyCancel(id), { env: { HTTPS_PROXY: value } });

    expectOneLineFailure(run, says);
    expect(run.outputs['error-code']).toBe('InvalidInput');
    expect(deletesOf(emulator, id)).toEqual([]);
  });
});

describe('keyless sign-in straight to the hosts', () => {
  it("opens the service's connection with the sign-in's, before it asks Microsoft Entra, and cancels on it", async () => {
    const connectionsBefore = emulator.connections;
    const entraBefore = identity.requestedAt.entra.length;
    const id = emulator.addBatch();

    const run = await keylessRun(id);

    expect(run.exitCode).toBe(0);
    expect(deletesOf(emulator, id)).toHaveLength(1);
    expect(emulator.connections - connectionsBefore).toBe(1);
    const connected = emulator.connectedAt.at(-1) ?? Number.POSITIVE_INFINITY;
    expect(connected).toBeLessThan(identity.requestedAt.entra[entraBefore] ?? 0);
  });
});

describe("GitHub's OIDC token service", () => {
  it('answering 500 once is retried, and the sign-in goes on', async () => {
    const before = identity.requestCounts.oidc;
    identity.addFault({ service: 'oidc', status: 500, retryAfterSeconds: 0 });
    const id = emulator.addBatch();

    const run = await keylessRun(id);

    expect(run.exitCode).toBe(0);
    expect(identity.requestCounts.oidc - before).toBe(2);
    expect(run.log).toContain("The workflow's OIDC token: HTTP 500; retrying in");
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it('answering 500 every time fails in one line once the retries are spent', async () => {
    identity.addFault({ service: 'oidc', status: 500, times: 2, retryAfterSeconds: 0 });

    const run = await keylessRun(emulator.addBatch(), { 'max-retries': '1', timeout: '10' });

    expectOneLineFailure(run, "Could not get the workflow's OIDC token from GitHub's OIDC token service");
    expect(run.errors[0]).toContain('HTTP 500 (after 2 attempts)');
    expect(run.outputs['error-code']).toBe('SignInFailed');
  });
});

describe("Microsoft Entra's refusals, read by their AADSTS code", () => {
  async function signIn(inputs: Record<string, string>, authority = identity) {
    const id = emulator.addBatch();
    const run = await keylessRun(id, inputs, authority);
    expect(run.outputs['error-code']).toBe('SignInFailed');
    expect(deletesOf(emulator, id)).toEqual([]);
    return run;
  }

  it('AADSTS90002, no such tenant: check tenant-id', async () => {
    const run = await signIn({ 'tenant-id': '99999999-7777-4888-9999-000000000000' });

    expectOneLineFailure(
      run,
      'AADSTS90002: no such tenant. Check tenant-id (99999999-7777-4888-9999-000000000000)',
    );
    expect(run.errors[0]).not.toContain('federated credential');
  });

  it('AADSTS700016, no such application in the tenant: check client-id', async () => {
    const run = await signIn({ 'client-id': '22222222-2222-4333-8444-555555555555' });

    expectOneLineFailure(
      run,
      'AADSTS700016: no application with this client-id in this tenant. Check client-id (22222222-2222-4333-8444-555555555555)',
    );
    expect(run.errors[0]).not.toContain('federated credential');
  });

  it("AADSTS70021, no federated credential for the token's subject: prints the subject to paste", async () => {
    const other = new IdentityEmulator({ ...identityOptions, subject: 'repo:octo/app:ref:refs/heads/main' });
    await other.start();
    onTestFinished(() => other.stop());

    const run = await signIn({}, other);

    expectOneLineFailure(
      run,
      "AADSTS70021: no federated credential of the application matches the workflow's token",
    );
    expect(run.errors[0]).toContain('subject "repo:octo/app:ref:refs/heads/main"');
    expect(run.errors[0]).toMatch(/trace id [0-9a-f-]{36}, correlation id [0-9a-f-]{36}/);
  });

  it("AADSTS700024, the token is out of its time: the runner's clock", async () => {
    const expired = new IdentityEmulator({ ...identityOptions, oidcTokenLifetimeSeconds: -60 });
    await expired.start();
    onTestFinished(() => expired.stop());

    const run = await signIn({}, expired);

    expectOneLineFailure(run, "AADSTS700024: the workflow's token is outside its valid time range");
    expect(run.errors[0]).toContain("the runner's clock");
  });

  it("a code the action does not know: Entra's own first line and its trace id", async () => {
    identity.addFault({ service: 'entra', status: 400 });

    const run = await signIn({});

    expectOneLineFailure(run, 'AADSTS90033: A transient error has occurred. Please try again.');
    expect(run.errors[0]).toMatch(/trace id [0-9a-f-]{36}/);
    expect(run.errors[0]).not.toContain('Check client-id');
  });

  it('a 503 from Entra is retried, and the sign-in goes on', async () => {
    const before = identity.requestCounts.entra;
    identity.addFault({ service: 'entra', status: 503, retryAfterSeconds: 0 });
    const id = emulator.addBatch();

    const run = await keylessRun(id);

    expect(run.exitCode).toBe(0);
    expect(identity.requestCounts.entra - before).toBe(2);
    expect(run.log).toContain('Keyless sign-in: HTTP 503; retrying in');
  });
});
