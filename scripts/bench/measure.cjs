// Preloaded with --require into a measured process: at exit writes to BENCH_MEASURE_FILE its peak RSS
// (kB) and, when started with --expose-gc, the most heap it held after a full collection (kB),
// sampled while it ran: what the process keeps, not what it has yet to collect. CommonJS, so that it
// loads nothing the measured script would not: an ES module that imports node:fs builds its
// namespace, which reads fs.promises and loads node:fs/promises (1.5–5 ms of a start).
const { writeFileSync } = require('node:fs');

const SAMPLE_MS = 100;
let retainedKb;
if (globalThis.gc) {
  const sample = () => {
    globalThis.gc();
    retainedKb = Math.max(retainedKb ?? 0, process.memoryUsage().heapUsed / 1024);
  };
  setInterval(sample, SAMPLE_MS).unref();
  process.on('beforeExit', sample);
}

process.on('exit', () => {
  if (!process.env.BENCH_MEASURE_FILE) return;
  writeFileSync(
    process.env.BENCH_MEASURE_FILE,
    JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, retainedKb }),
  );
});
