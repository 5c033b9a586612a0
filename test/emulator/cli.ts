// Runs the emulator from the command line: `npm run emulator -- --port 8080`.
// Prints the URL it listens on; with --url-file, also writes it there (for CI steps to read).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Emulator } from './emulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string', default: 'emulator-key' },
    'cancel-delay-ms': { type: 'string', default: '1000' },
    'stale-cache-ms': { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '0' },
    'finished-cancel-status': { type: 'string', default: '400' },
    'url-file': { type: 'string' },
  },
});

const emulator = new Emulator({
  subscriptionKey: values.key,
  cancelDelayMs: Number(values['cancel-delay-ms']),
  staleCacheMs: Number(values['stale-cache-ms']),
  latencyMs: Number(values['latency-ms']),
  finishedCancelStatus: values['finished-cancel-status'] === '409' ? 409 : 400,
});
const url = await emulator.start(Number(values.port), values.host);
if (values['url-file']) writeFileSync(values['url-file'], url);
console.log(`Document Translation emulator listening on ${url} (key: ${values.key})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    emulator.stop().then(() => process.exit(0));
  });
}
