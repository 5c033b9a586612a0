// `npm start`: the action cancelling a batch, with no Azure account. Starts the emulator on a free
// loopback port, starts a batch on it, runs the bundled action exactly as a runner would, and prints
// what a workflow run would show.
import { Emulator } from '../test/emulator/emulator.ts';
import { runAction } from '../test/support/run-action.ts';

const emulator = new Emulator();
const url = await emulator.start();
try {
  const started = await fetch(`${url}/translator/document/batches?api-version=2024-05-01`, {
    method: 'POST',
    headers: { 'ocp-apim-subscription-key': emulator.subscriptionKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      inputs: [
        { source: {}, targets: [] },
        { source: {}, targets: [] },
      ],
    }),
  });
  const operationLocation = started.headers.get('operation-location') ?? '';
  console.log(
    `Emulator on ${url}; started a batch: HTTP ${started.status}, Operation-Location ${operationLocation}\n`,
  );

  const inputs = { 'operation-location': operationLocation, 'subscription-key': emulator.subscriptionKey };
  console.log('Running dist/index.js with', JSON.stringify(inputs, null, 2), '\n');
  const run = await runAction(inputs);

  console.log('--- the step log ---');
  console.log(run.log.trimEnd());
  console.log(
    `--- exit code ${run.exitCode}; annotations: ${run.errors.length} errors, ${run.warnings.length} warnings ---`,
  );
  console.log('--- outputs ---');
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name}: ${value}`);
} finally {
  await emulator.stop();
}
