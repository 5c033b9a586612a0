// The runner's cancel signal, end to end through the bundle: a SIGINT or SIGTERM stops the step's
// waits and retries, and the process exits within seconds with the outputs it has.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { deletesOf, inputsFor, useEmulator } from '../support/emulator-fixture.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

describe("the runner's cancel signal", () => {
  it('SIGINT during a wait: stops, writes the outputs it has, and exits within 2 s, with one DELETE', async () => {
    const id = emulator.addBatch();
    let signalledAt = 0;

    const run = await runAction(inputsFor(emulator, id, { wait: 'true', timeout: '60' }), {
      onStart: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (!signalledAt && chunk.toString().includes('next check in')) {
            signalledAt = Date.now();
            child.kill('SIGINT');
          }
        });
      },
    });
    const exitedAt = Date.now();

    expect(signalledAt).toBeGreaterThan(0);
    expect(exitedAt - signalledAt).toBeLessThan(2_000);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'cancel-requested', status: 'Cancelling' });
    expect(run.log).toContain('Received SIGINT');
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });

  it('SIGTERM while the cancel gets no answer: exits within 2 s without sending it again', async () => {
    const id = emulator.addBatch();
    emulator.addFault({ batchId: id, method: 'DELETE', hang: true, times: 5 });
    let signalledAt = 0;

    const run = await runAction(inputsFor(emulator, id, { timeout: '60' }), {
      onStart: (child) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (!signalledAt && chunk.toString().includes('Cancelling batch')) {
            signalledAt = Date.now();
            setTimeout(() => child.kill('SIGTERM'), 300);
          }
        });
      },
    });
    const exitedAt = Date.now();

    expect(exitedAt - signalledAt).toBeLessThan(2_300);
    expect(run.outputs).toMatchObject({ outcome: 'error', 'error-code': 'Interrupted', 'job-id': id });
    expect(deletesOf(emulator, id)).toHaveLength(1);
  });
});
