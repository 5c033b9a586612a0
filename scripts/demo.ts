// `npm start`: the action on an emulator of the service, with no Azure account. Starts the emulator
// on a free loopback port, then runs the bundled action exactly as a runner would, three times: on a
// batch it has just started (the cancel is accepted), on a running batch with documents translated
// (the cancel's answer carries zeros, as the live service's does; the counts come from the status
// read after it), and on a batch that had already finished (the live service answers 200 with the
// batch unchanged: nothing is cancelled, and the step warns).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from './emulator/emulator.ts';
import { runAction } from './run-action.ts';

async function show(title: string, inputs: Record<string, string>): Promise<void> {
  console.log(`\n=== ${title} ===`);
  console.log('Running dist/index.js with', JSON.stringify(inputs, null, 2), '\n');
  const run = await runAction(inputs);
  console.log('--- the step log ---');
  console.log(run.log.trimEnd());
  console.log(
    `--- exit code ${run.exitCode}; annotations: ${run.errors.length} errors, ${run.warnings.length} warnings ---`,
  );
  console.log('--- outputs ---');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}: ${value}`);
  // GitHub renders the job summary's HTML on the run's page; here it is written to a file to open.
  const summaryFile = join(summaryDir, `job-summary-${++shown}.html`);
  writeFileSync(summaryFile, run.summary);
  console.log(`--- the job summary (open ${summaryFile} in a browser to see it as GitHub shows it) ---`);
  console.log(run.summary.trimEnd());
}

const summaryDir = mkdtempSync(join(tmpdir(), 'cancel-document-translation-demo-'));
let shown = 0;

const emulator = new Emulator();
const url = await emulator.start();
try {
  const started = await fetch(`${url}/translator/document/batches?api-version=2024-05-01`, {
    method: 'POST',
    headers: { 'ocp-apim-subscription-key': emulator.subscriptionKey, 'content-type': 'application/json' },
    body: readFileSync(new URL('../examples/translation-request.json', import.meta.url), 'utf8'),
  });
  const operationLocation = started.headers.get('operation-location') ?? '';
  console.log(
    `Emulator on ${url}; started a batch: HTTP ${started.status}, Operation-Location ${operationLocation}`,
  );
  await show('1. Cancel the batch just started', {
    'operation-location': operationLocation,
    'subscription-key': emulator.subscriptionKey,
  });

  const running = emulator.addBatch({
    status: 'Running',
    documents: 8,
    succeeded: 3,
    charactersCharged: 48_213,
  });
  await show(
    "2. Cancel a running batch: 8 documents, 3 translated (its counts, not the cancel answer's zeros)",
    {
      'job-id': running,
      endpoint: url,
      'subscription-key': emulator.subscriptionKey,
    },
  );

  const finished = emulator.addBatch({
    status: 'Succeeded',
    documents: 3,
    succeeded: 3,
    charactersCharged: 48_213,
  });
  await show('3. Cancel a batch that had already finished', {
    'job-id': finished,
    endpoint: url,
    'subscription-key': emulator.subscriptionKey,
  });
} finally {
  await emulator.stop();
}
