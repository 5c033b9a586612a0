// The checks `npm test` runs before the tests, side by side: the type check and the lint (Biome and
// knip). Prints each failing check's output; exits 1 if any failed.
import { spawn } from 'node:child_process';

const CHECKS: ReadonlyArray<[name: string, command: string, args: string[]]> = [
  ['type check', 'tsc', ['--noEmit']],
  ['lint', 'biome', ['check', '.']],
  ['unused code', 'knip', []],
];

function runCheck(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

const started = performance.now();
const results = await Promise.all(CHECKS.map(([, command, args]) => runCheck(command, args)));
let failed = 0;
results.forEach(({ code, output }, index) => {
  const [name] = CHECKS[index] ?? ['?'];
  if (code === 0) return;
  failed++;
  console.error(`✗ ${name}\n${output}`);
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (failed > 0) {
  console.error(`${failed} of ${CHECKS.length} checks failed (${seconds} s).`);
  process.exit(1);
}
console.log(`${CHECKS.map(([name]) => name).join(', ')}: passed (${seconds} s).`);
