// The connection for the first request, opened before undici loads (service/early-connection.ts), in
// process against a TCP server on loopback: undici's pool takes it for its first connection to that
// origin and connects anew for anything else; one that failed leaves undici to connect (and to say
// why it could not), one that did not open in time is undici's timeout at once; they open only where
// the first requests go straight to the service, and for keyless sign-in to where it signs in first.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { openEarlyConnections } from '../../src/main.ts';
import { CONNECT_TIMEOUT_MS, type Connector, EarlyConnection } from '../../src/service/early-connection.ts';
import { openConnections } from '../../src/service/http.ts';
import { parseSettings } from '../../src/settings/inputs.ts';
import { rawInputs } from '../support/raw-inputs.ts';

const accepted: Socket[] = [];
let server: Server;
let origin: URL;
beforeAll(async () => {
  server = createServer((socket) => accepted.push(socket.resume()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
});
afterEach(() => vi.unstubAllEnvs());
afterAll(() => {
  for (const socket of accepted) socket.destroy();
  server.close();
});

/** What undici's pool would connect with, and what it got: a socket of the early connection's, or the fallback's. */
function connectWith(connector: Connector, url: URL): Promise<Socket | 'fallback'> {
  return new Promise((resolve, reject) =>
    connector({ protocol: url.protocol, hostname: url.hostname, port: url.port }, (error, socket) =>
      error ? reject(error) : resolve(socket as Socket),
    ),
  );
}
const fallback: Connector = (_options, callback) => callback(null, 'fallback' as unknown as Socket);
const timedOut = () => new Error('undici: connect timeout');
/** The server above takes connections and never writes: an https URL to it never ends its handshake. */
const silentHttps = () => new URL(`https://127.0.0.1:${origin.port}`);

/** setTimeout under Vitest's clock for this test: the connect timeout passes when the test says. */
function fakeTimeouts(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  onTestFinished(() => {
    vi.useRealTimers();
  });
}

describe('the early connection', () => {
  it("is undici's first connection to its origin; a second, or one elsewhere, connects anew", async () => {
    const before = accepted.length;
    const early = new EarlyConnection(origin);
    const connector = early.connector(fallback, timedOut);

    const first = await connectWith(connector, origin);
    const elsewhere = await connectWith(connector, new URL('http://127.0.0.2:9'));
    const second = await connectWith(connector, origin);

    expect(first).not.toBe('fallback');
    expect((first as Socket).remotePort).toBe(Number(origin.port));
    expect([elsewhere, second]).toEqual(['fallback', 'fallback']);
    expect(accepted.length - before).toBe(1);
    early.close();
    expect((first as Socket).destroyed).toBe(false);
    (first as Socket).destroy();
  });

  it('that failed leaves undici to connect, and to say why it could not', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(closed.address() as { port: number }).port}`);
    await new Promise((resolve) => closed.close(resolve));

    const early = new EarlyConnection(url);

    await expect(connectWith(early.connector(fallback, timedOut), url)).resolves.toBe('fallback');
  });

  it("that did not open in time is undici's connect timeout at once, not a second wait as long", async () => {
    fakeTimeouts();
    const before = accepted.length;
    const url = silentHttps();
    const early = new EarlyConnection(url);
    const connected = connectWith(early.connector(fallback, timedOut), url).then(
      (socket) => socket,
      (error: Error) => error.message,
    );
    await vi.waitFor(() => expect(accepted.length - before).toBe(1));

    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS);

    expect(await connected).toBe('undici: connect timeout');
    expect(accepted.length - before).toBe(1);
  });

  it("through the step's connections, that did not open in time fails the attempt with undici's connect timeout then", async () => {
    fakeTimeouts();
    const url = silentHttps();
    const connections = await openConnections(undefined, [new EarlyConnection(url)]);
    onTestFinished(() => connections.close());
    let attempt: unknown;
    void connections
      .send(
        new URL('/translator/document/batches/b1', url),
        { method: 'DELETE', headers: {} },
        {
          timeoutMs: 60_000,
          stop: new AbortController().signal,
        },
      )
      .then((result) => {
        attempt = result;
      });

    await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS + 100);

    await vi.waitFor(() =>
      expect(attempt).toEqual({ failure: expect.objectContaining({ text: 'UND_ERR_CONNECT_TIMEOUT' }) }),
    );
  });

  it('that nothing took is let go of', async () => {
    const before = accepted.length;
    const early = new EarlyConnection(origin);
    await vi.waitFor(() => expect(accepted.length - before).toBe(1));

    early.close();

    await vi.waitFor(() => expect(accepted.at(-1)?.readableEnded).toBe(true));
  });

  it.each([
    ['a cancel with a key', { 'job-id': 'c0ffee00-0000-4000-8000-000000000001' }, true],
    ['a stale cleanup with a key', { 'stale-after': '2h' }, true],
    ['a track with a key', { 'job-id': 'c0ffee00-0000-4000-8000-000000000001', track: 'true' }, true],
    ["a pull request's close (GitHub first)", { 'from-pull-request': 'true' }, false],
  ])('opens for %s: %s', (_, given, opens) => {
    const settings = parseSettings(
      rawInputs({ endpoint: origin.href, 'subscription-key': 'k'.repeat(32), ...given }),
    );

    const early = openEarlyConnections(settings, 'main');

    expect(early.length).toBe(opens ? 1 : 0);
    for (const connection of early) connection.close();
  });

  it("opens for keyless sign-in: to GitHub's OIDC token service, to Microsoft Entra and to the service, once an origin", async () => {
    const before = accepted.length;
    const elsewhere = createServer((socket) => accepted.push(socket.resume()));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      elsewhere.close();
    });
    const entra = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}`;
    vi.stubEnv('ACTIONS_ID_TOKEN_REQUEST_URL', `${origin.origin}/token?audience=x`);
    const settings = parseSettings(
      rawInputs({
        endpoint: origin.href,
        'job-id': 'c0ffee00-0000-4000-8000-000000000001',
        'client-id': 'c0ffee00-0000-4000-8000-0000000000c1',
        'tenant-id': 'c0ffee00-0000-4000-8000-0000000000d1',
        'authority-host': entra,
        'allowed-hosts': '127.0.0.1',
      }),
    );

    const early = openEarlyConnections(settings, 'main');
    onTestFinished(() => {
      for (const connection of early) connection.close();
    });

    expect(early).toHaveLength(2);
    await vi.waitFor(() => expect(accepted.length - before).toBe(2));
  });

  it("does not open where the runner's proxy would carry the request", () => {
    vi.stubEnv('HTTP_PROXY', 'http://proxy.example:3128');
    const settings = parseSettings(
      rawInputs({ endpoint: origin.href, 'subscription-key': 'k'.repeat(32), 'stale-after': '2h' }),
    );

    expect(openEarlyConnections(settings, 'main')).toEqual([]);
  });
});
