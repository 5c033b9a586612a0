// Runs the emulator from the command line: `npm run emulator -- --port 8080`.
// Prints the URL it listens on; with --url-file, also writes it there (for CI steps to read). With
// --outlive-parent it keeps listening after the process that started it is gone: a CI step that
// starts it in the background ends before the steps that use it.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Emulator } from './emulator.ts';

// Read before anything else: the URL file tells the starter that the emulator listens, and a
// starter gone from then on must be seen gone (read after the URL file, a parent killed meanwhile
// was never seen, and the emulator listened on).
const parent = process.ppid;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    key: { type: 'string', default: 'emulator-key' },
    'cancel-delay-ms': { type: 'string', default: '1000' },
    'stale-cache-ms': { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '0' },
    'running-after-ms': { type: 'string', default: '1000' },
    'succeeded-after-ms': { type: 'string', default: '60000' },
    'finished-cancel-status': { type: 'string', default: '200' },
    'page-link': { type: 'string', default: '@nextLink' },
    'url-file': { type: 'string' },
    'outlive-parent': { type: 'boolean', default: false },
  },
});

function finishedCancelStatus(text: string): 200 | 400 | 409 {
  if (text === '200' || text === '400' || text === '409') return Number(text) as 200 | 400 | 409;
  console.error(
    `--finished-cancel-status must be 200 (the live service), 400 or 409 (the docs), not ${text}`,
  );
  process.exit(2);
}

const emulator = new Emulator({
  subscriptionKey: values.key,
  cancelDelayMs: Number(values['cancel-delay-ms']),
  staleCacheMs: Number(values['stale-cache-ms']),
  latencyMs: Number(values['latency-ms']),
  startedBatches: {
    runningAfterMs: Number(values['running-after-ms']),
    succeededAfterMs: Number(values['succeeded-after-ms']),
  },
  finishedCancelStatus: finishedCancelStatus(values['finished-cancel-status']),
  pageLinkName: values['page-link'] === 'nextLink' ? 'nextLink' : '@nextLink',
});
const url = await emulator.start(Number(values.port), values.host);
if (values['url-file']) writeFileSync(values['url-file'], url);
console.log(`Document Translation emulator listening on ${url} (key: ${values.key})`);

function stop(): void {
  emulator.stop().then(() => process.exit(0));
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);

// `npm run emulator` starts this under a shell, and a kill of npm reaches neither: when the process
// that started it is gone, it stops too, so that no emulator is left listening.
if (!values['outlive-parent']) {
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}
