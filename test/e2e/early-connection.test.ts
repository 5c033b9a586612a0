// The first request's connection, opened before undici loads (service/early-connection.ts), end to
// end through the bundle: straight to the service over HTTPS (by address and by host name, with a
// certificate for 127.0.0.1 and localhost that the action trusts through NODE_EXTRA_CA_CERTS) and
// over HTTP, one connection carries the cancel and the status read after it; where nothing listens,
// the step says so as it always did. undici's HTTP/2 client (and node:http2) loads only for a service
// that chooses HTTP/2, fs.promises not at all, and node:crypto not over HTTP (scripts/stand-ins.ts);
// none while V8's flags differ, for undici's parser alone (service/http-parser.ts). For keyless sign-in
// over HTTPS, the connections to GitHub's OIDC token service and Microsoft Entra open early too.
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { keylessInputs, trustedIdentity } from '../../scripts/emulator/identity.ts';
import { runAction } from '../../scripts/run-action.ts';
import { inputsFor } from '../support/emulator-fixture.ts';
import { expectParserMadeUnderRaisedBudget, listingLoadedModules } from '../support/loaded-modules.ts';
import { expectOneLineFailure } from '../support/run-checks.ts';

const TLS_FIXTURES = new URL('../fixtures/tls/', import.meta.url);
const LOOPBACK_CERT_FILE = fileURLToPath(new URL('loopback.pem', TLS_FIXTURES));

/** The certificate for 127.0.0.1 and localhost, which the action trusts through NODE_EXTRA_CA_CERTS. */
function loopbackTls(): { cert: string; key: string } {
  return {
    cert: readFileSync(LOOPBACK_CERT_FILE, 'utf8'),
    key: readFileSync(new URL('loopback.key', TLS_FIXTURES), 'utf8'),
  };
}

async function serviceOver(
  protocol: 'http' | 'https' | 'http2',
  accessTokens: string[] = [],
): Promise<Emulator> {
  const target = new Emulator({ cancelDelayMs: 60_000, accessTokens });
  const tls = protocol !== 'http' ? { ...loopbackTls(), http2: protocol === 'http2' } : undefined;
  await target.start(0, '127.0.0.1', tls);
  onTestFinished(() => target.stop());
  return target;
}

/**
 * A cancel of a running batch over `protocol`, at the emulator's address or by `hostName`: it ends
 * well, with the counts read, on one connection. What the service saw, and the Node modules the run loaded.
 */
async function cancelOver(protocol: 'http' | 'https' | 'http2', hostName?: string) {
  const service = await serviceOver(protocol);
  const id = service.addBatch({ status: 'Running', documents: 4 });
  const modules = listingLoadedModules();
  const endpoint = hostName ? service.url.replace('127.0.0.1', hostName) : service.url;

  const run = await runAction(
    { ...inputsFor(service, id), endpoint },
    { env: { ...modules.env, NODE_EXTRA_CA_CERTS: LOOPBACK_CERT_FILE } },
  );

  expect(run.exitCode, run.log).toBe(0);
  expect(run.outputs.status).toBe('Cancelling');
  expect(run.outputs.total).toBe('4');
  expect(service.connections).toBe(1);
  return { requests: service.requests, loaded: modules.loaded() };
}

describe("the first request's early connection", () => {
  it.each(['https', 'http'] as const)(
    'over %s, straight to the service: one connection carries the cancel and the status read',
    async (protocol) => {
      const { requests, loaded } = await cancelOver(protocol);

      expect(requests.map((request) => request.method)).toEqual(['DELETE', 'GET']);
      expect(loaded).toContain(protocol === 'https' ? 'tls' : 'net');
      expect(loaded).not.toContain('http2');
      // @actions/core's summary.js reads fs.promises only when called; the job summary is written without it.
      expect(loaded).not.toContain('internal/fs/promises');
      // Nor does its file-command.js load node:crypto, which over HTTPS node:tls loads anyway.
      if (protocol === 'http') expect(loaded).not.toContain('crypto');
      expectParserMadeUnderRaisedBudget(loaded);
    },
  );

  it('over https to a host name: its lookup, its server name and its certificate, on one connection', async () => {
    const { requests } = await cancelOver('https', 'localhost');

    expect(requests.map((request) => request.method)).toEqual(['DELETE', 'GET']);
  });

  it('to a service that chooses HTTP/2: undici loads its HTTP/2 client then, and the cancel and the read go over it', async () => {
    const { requests, loaded } = await cancelOver('http2');

    expect(requests.map((request) => `${request.method} ${request.httpVersion}`)).toEqual([
      'DELETE 2.0',
      'GET 2.0',
    ]);
    expect(loaded).toContain('http2');
  });

  it("for keyless sign-in over https, GitHub's OIDC token service and Microsoft Entra's too: the service's is open before Entra is asked", async () => {
    const accessToken = 'entra-access-token-early-connection';
    const service = await serviceOver('https', [accessToken]);
    const identity = trustedIdentity(accessToken);
    await identity.start('127.0.0.1', loopbackTls());
    onTestFinished(() => identity.stop());
    const id = service.addBatch({ status: 'Running', documents: 4 });

    const run = await runAction(
      { 'job-id': id, endpoint: service.url, ...keylessInputs(identity.url) },
      { env: { ...identity.actionsEnv, NODE_EXTRA_CA_CERTS: LOOPBACK_CERT_FILE } },
    );

    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.total).toBe('4');
    expect(identity.requestCounts).toEqual({ oidc: 1, entra: 1 });
    expect(service.connections).toBe(1);
    expect(service.connectedAt[0]).toBeLessThan(identity.requestedAt.entra[0] ?? 0);
  });

  it('closed by the service while keyless sign-in waited: undici connects again, and the cancel and the status read share that connection', async () => {
    const accessToken = 'entra-access-token-idle-close';
    const service = await serviceOver('https', [accessToken]);
    // A gateway in front of the service, which lets go of the connections it holds when the test
    // says, as one does with an idle connection.
    const held = new Set<Socket>();
    const gateway = createServer((client) => {
      const upstream = connect(Number(new URL(service.url).port), '127.0.0.1');
      client.pipe(upstream).pipe(client);
      held.add(client).add(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => gateway.close(() => resolve())));
    const identity = trustedIdentity(accessToken);
    await identity.start();
    onTestFinished(() => identity.stop());
    // Entra asks the action to come back in 1 s; meanwhile the gateway closes the idle connection.
    identity.addFault({ service: 'entra', status: 503, retryAfterSeconds: 1 });
    const id = service.addBatch({ status: 'Running', documents: 4 });
    const { port } = gateway.address() as AddressInfo;
    const closeIdle = setInterval(() => {
      if (identity.requestCounts.entra === 0) return;
      clearInterval(closeIdle);
      for (const socket of held) socket.destroy();
    }, 1);
    onTestFinished(() => clearInterval(closeIdle));

    const run = await runAction(
      { 'job-id': id, endpoint: `https://127.0.0.1:${port}`, ...keylessInputs(identity.url) },
      { env: { ...identity.actionsEnv, NODE_EXTRA_CA_CERTS: LOOPBACK_CERT_FILE } },
    );

    expect(run.exitCode, run.log).toBe(0);
    expect(run.outputs.total).toBe('4');
    // The early one, closed; then one for the cancel and the status read.
    expect(service.connections).toBe(2);
    expect(service.requests.map(({ method }) => method)).toEqual(['DELETE', 'GET']);
    expect(run.log.match(/retrying in/g)).toHaveLength(1);
  });

  it('to a service whose certificate the runner does not trust: one line that names the fix, NODE_EXTRA_CA_CERTS, tried once', async () => {
    const service = await serviceOver('https');
    const id = service.addBatch();

    const run = await runAction({ ...inputsFor(service, id), 'max-retries': '3' });

    expectOneLineFailure(
      run,
      `the TLS certificate of ${new URL(service.url).host} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
    expect(run.errors[0]).toContain("give that CA's certificate in NODE_EXTRA_CA_CERTS.");
    expect(run.errors[0]?.match(/check the endpoint/gi)).toHaveLength(1);
    expect(run.log).not.toContain('retrying');
    expect(run.outputs['error-code']).toBe('NetworkError');
    expect(service.requests).toEqual([]);
  });

  it('to a port where nothing listens: the step says it could not connect, as without it', async () => {
    const service = await serviceOver('http');
    const endpoint = service.url;
    await service.stop();

    const run = await runAction({ ...inputsFor(service, service.addBatch()), endpoint, 'max-retries': '0' });

    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/ECONNREFUSED|refused/);
    expect(run.outputs['error-code']).toBe('NetworkError');
  });
});
