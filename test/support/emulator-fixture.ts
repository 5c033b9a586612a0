// One emulator per test file, started before and stopped after its tests.
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
