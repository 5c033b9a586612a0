// One emulator per test file, started before and stopped after its tests, and what tests ask of it.
import { afterAll, beforeAll } from 'vitest';
import { Emulator, type EmulatorOptions } from '../../scripts/emulator/emulator.ts';

export function useEmulator(options: EmulatorOptions = {}): Emulator {
  const emulator = new Emulator(options);
  beforeAll(async () => {
    await emulator.start();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  return emulator;
}

/** The inputs that cancel batch `id` on `target` with its key, and `more`. */
export function inputsFor(
  target: Emulator,
  id: string,
  more: Record<string, string> = {},
): Record<string, string> {
  return { 'job-id': id, endpoint: target.url, 'subscription-key': target.subscriptionKey, ...more };
}

/** The cancels `target` got for batch `id`. */
export function deletesOf(target: Emulator, id: string) {
  return target.requests.filter((request) => request.method === 'DELETE' && request.path.endsWith(id));
}
