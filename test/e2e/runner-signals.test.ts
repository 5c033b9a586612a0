// The runner's cancel signal, end to end through the bundle: a SIGINT or SIGTERM stops the step's
// waits and retries, and the process exits within seconds with the outputs it has.
import type { ChildProcess } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Emulator } from '../../scripts/emulator/emulator.ts';
import { keylessInputs, trustedIdentity } from '../../scripts/emulator/identity.ts';
import { runAction } from '../../scripts/run-action.ts';
import { deletesOf, inputsFor, useEmulator } from '../support/emulator-fixture.ts';
import { ForwardProxy, PROXY_CA_FILE } from '../support/forward-proxy.ts';
import { expectCleanLog } from '../support/run-checks.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

/**
 * The runner's signal (SIGINT unless told), sent `afterMs` after `ready` first holds; `ready` is asked
 * every millisecond (some moments pass in tens of milliseconds), with what the action has printed
 * so far. `readyAt()` is when it first held, 0 until then.
 */
function signalWhen(
  ready: (printed: string) => boolean,
  { signal = 'SIGINT', afterMs = 0 }: { signal?: NodeJS.Signals; afterMs?: number } = {},
): { onStart: (child: ChildProcess) => void; readyAt: () => number } {
  let readyAt = 0;
  const onStart = (child: ChildProcess) => {
    let printed = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const watch = setInterval(() => {
      if (!ready(printed)) return;
      clearInterval(watch);
      readyAt = Date.now();
      setTimeout(() => child.kill(signal), afterMs);
    }, 1);
    child.on('exit', () => clearInterval(watch));
  };
  return { onStart, readyAt: () => readyAt };
}

describe("the runner's cancel signal", () => {
  it('SIGINT during a wait: stops, writes the outputs it has, and exits within 2 s, with one DELETE', async () => {
    const id = emulator.addBatch();
    const interrupt = signalWhen((printed) => printed.includes('next check in'));

    const run = await runAction(inputsFor(emulator, id, { wait: 'true', timeout: '60' }), interrupt);
    const exitedAt = Date.now();

    expect(interrupt.readyAt()).toBeGreaterThan(0);
    expect(exitedAt - interrupt.readyAt()).toBeLessThan(2_000);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
    expect(run.log).toContain('Received SIGINT');
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it('SIGTERM while the cancel gets no answer: exits within 2 s without sending it again', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', hang: true, times: 5 });
    const terminate = signalWhen((printed) => printed.includes('Cancelling batch'), {
      signal: 'SIGTERM',
      afterMs: 300,
    });

    const run = await runAction(inputsFor(emulator, id, { timeout: '60' }), terminate);
    const exitedAt = Date.now();

    expect(exitedAt - terminate.readyAt()).toBeLessThan(2_300);
    expect(run.outputs).toMatchObject({ outcome: 'error', 'error-code': 'Interrupted', 'job-id': id });
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it('SIGINT as the first request reaches the service, while the rest of the action is loading: the sent cancel is reported as sent', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', hang: true, times: 5 });
    // The rest loads in the tens of milliseconds after the request leaves: signal at once.
    const interrupt = signalWhen(() => deletesOf(emulator, id).length > 0);

    const run = await runAction(inputsFor(emulator, id, { timeout: '60' }), interrupt);
    const exitedAt = Date.now();

    expect(interrupt.readyAt()).toBeGreaterThan(0);
    expect(exitedAt - interrupt.readyAt()).toBeLessThan(2_000);
    expect(run.log).toContain('Received SIGINT');
    expect(run.outputs).toMatchObject({ outcome: 'error', 'error-code': 'Interrupted', 'job-id': id });
    const [result] = JSON.parse(run.outputs.results ?? '[]') as { id: string; error: { message: string } }[];
    expect(result?.id).toBe(id);
    expect(result?.error.message).not.toContain('before the request was sent');
    expect(run.summary).toContain(id);
    expect(deletesOf(emulator, id)).toHaveLength(1);
    expectCleanLog(run);
  });

  it('SIGINT while the connection for the cancel is still opening (a TLS handshake the host never answers): the cancel is reported as never sent', async () => {
    // A host that takes the connection and never answers its TLS hello, as a stalled proxy or
    // firewall does: the cancel never leaves the runner.
    const silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const { port } = silent.address() as AddressInfo;
    const id = emulator.addBatch();
    const interrupt = signalWhen((printed) => printed.includes('Cancelling batch'), { afterMs: 300 });

    const run = await runAction(
      { ...inputsFor(emulator, id), endpoint: `https://127.0.0.1:${port}`, timeout: '60' },
      interrupt,
    );
    const exitedAt = Date.now();

    expect(interrupt.readyAt()).toBeGreaterThan(0);
    expect(exitedAt - interrupt.readyAt()).toBeLessThan(2_300);
    expect(run.outputs).toMatchObject({
      outcome: 'error',
      'error-code': 'Interrupted',
      'error-message': `The runner cancelled the step before batch ${id} was sent a cancel: it was not cancelled.`,
      'job-id': id,
    });
    const [result] = JSON.parse(run.outputs.results ?? '[]') as { error: { message: string } }[];
    expect(result?.error.message).toBe('the runner cancelled the step before the request was sent.');
    expectCleanLog(run);
  });

  it("SIGINT once the cancel has reached the service through the runner's proxy: reported as sent, not answered", async () => {
    const proxy = new ForwardProxy({ intercept: { '*.cognitiveservices.azure.com': emulator.url } });
    await proxy.start();
    onTestFinished(() => proxy.stop());
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', hang: true, times: 5 });
    const interrupt = signalWhen(() => deletesOf(emulator, id).length > 0);

    const run = await runAction(
      {
        ...inputsFor(emulator, id, { timeout: '60' }),
        endpoint: 'https://contoso-translator.cognitiveservices.azure.com',
      },
      { env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: PROXY_CA_FILE }, onStart: interrupt.onStart },
    );

    expect(interrupt.readyAt()).toBeGreaterThan(0);
    expect(run.outputs).toMatchObject({
      'error-code': 'Interrupted',
      'error-message':
        'the runner cancelled the step before contoso-translator.cognitiveservices.azure.com answered.',
    });
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it.each([
    ["GitHub's OIDC token service", 'oidc'],
    ['Microsoft Entra', 'entra'],
  ] as const)(
    "SIGINT during keyless sign-in, while %s asks for a wait, with the service's connection opened early and not yet used: Interrupted, not SignInFailed, within 2 s, and no cancel sent",
    async (_, service) => {
      const accessToken = 'entra-access-token-runner-cancel';
      const keyless = new Emulator({ accessTokens: [accessToken] });
      await keyless.start();
      onTestFinished(() => keyless.stop());
      const identity = trustedIdentity(accessToken);
      await identity.start();
      onTestFinished(() => identity.stop());
      // It asks the action to come back in 30 s: the signal comes during that wait.
      identity.addFault({ service, status: 503, retryAfterSeconds: 30 });
      const id = keyless.addBatch({ status: 'Running' });
      const interrupt = signalWhen(() => identity.requestCounts[service] > 0);

      const run = await runAction(
        { 'job-id': id, endpoint: keyless.url, ...keylessInputs(identity.url), timeout: '60' },
        { env: identity.actionsEnv, onStart: interrupt.onStart },
      );
      const exitedAt = Date.now();

      expect(interrupt.readyAt()).toBeGreaterThan(0);
      expect(exitedAt - interrupt.readyAt()).toBeLessThan(2_000);
      expect(run.log).toContain('Received SIGINT');
      expect(run.outputs['error-code']).toBe('Interrupted');
      // The service's connection was open, and nothing was sent on it.
      expect(keyless.connections).toBe(1);
      expect(deletesOf(keyless, id)).toHaveLength(0);
      expectCleanLog(run);
    },
  );

  it('SIGINT during a big cleanup: exits at once; the batches never sent are one line, with no per-batch lines or endpoint advice', async () => {
    const slow = new Emulator({ latencyMs: 20, cancelDelayMs: 60_000 });
    await slow.start();
    onTestFinished(() => slow.stop());
    const created = new Date(Date.now() - 3 * 3_600_000).toISOString();
    for (let i = 0; i < 400; i++) slow.addBatch({ status: 'Running', createdDateTimeUtc: created });
    const interrupt = signalWhen((printed) => printed.includes('Cancelling 400 batches'), { afterMs: 150 });

    const run = await runAction(
      {
        endpoint: slow.url,
        'subscription-key': slow.subscriptionKey,
        'stale-after': '1h',
        'max-jobs': '1000',
      },
      interrupt,
    );
    const exitedAt = Date.now();

    expect(interrupt.readyAt()).toBeGreaterThan(0);
    expect(exitedAt - interrupt.readyAt()).toBeLessThan(2_000);
    const sent = new Set(
      slow.requests.filter((request) => request.method === 'DELETE').map((r) => r.path.split('/').pop()),
    );
    const results = JSON.parse(run.outputs.results ?? '[]') as {
      id: string;
      error: { message: string } | null;
    }[];
    const notSent = results.filter((result) => result.error?.message.includes('before the request was sent'));
    expect(sent.size).toBeGreaterThan(0);
    expect(notSent.length).toBeGreaterThan(0);
    expect(results).toHaveLength(400);
    // Every batch that got a request keeps its own result; none of the others was sent one.
    for (const result of notSent) expect(sent.has(result.id)).toBe(false);
    expect(notSent.length + sent.size).toBe(400);
    const line = `The runner cancelled the step before ${notSent.length} of the 400 batches were sent a cancel`;
    expect(run.log.split('\n').filter((text) => text.includes(line))).toHaveLength(1);
    expect(run.log).not.toContain('was not sent a cancel');
    expect(run.errors.filter((error) => error.includes(line))).toHaveLength(1);
    expect(run.errors.join('\n')).not.toContain('Check the endpoint');
    expect(run.outputs['error-code']).toBe('Interrupted');
    expect(run.outputs['error-message']).toContain(line);
    expectCleanLog(run);
  });
});
