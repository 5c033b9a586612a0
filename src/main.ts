// One cancellation, top to bottom: read inputs → resolve the job → send the cancel → interpret the
// answer → apply the policy → write outputs.
import { cancelJob } from './cancel-job.ts';
import { InputError } from './input-error.ts';
import { parseSettings, type Settings } from './inputs.ts';
import { outputsFor } from './outputs.ts';
import { debug, fail, info, readInputs, warn, writeOutputs } from './runner.ts';
import { TranslatorClient } from './translator-client.ts';
import { judge, type Verdict } from './verdict.ts';

const USER_AGENT = 'cancel-document-translation/1';

function report(verdict: Verdict): void {
  switch (verdict.action) {
    case 'pass':
    case 'ignore':
      info(verdict.message);
      return;
    case 'warn':
      warn(verdict.message);
      return;
    case 'fail':
      fail(verdict.message);
      return;
  }
}

async function cancel(settings: Settings): Promise<void> {
  const client = new TranslatorClient({ ...settings, userAgent: USER_AGENT });
  try {
    info(
      `Cancelling batch ${settings.jobId} at ${settings.serviceBase} (api-version ${settings.apiVersion}).`,
    );
    const result = await cancelJob(client, settings.jobId);
    writeOutputs(outputsFor([result]));
    report(judge(result, settings.policy, settings.serviceBase));
  } finally {
    await client.close();
  }
}

export async function run(): Promise<void> {
  try {
    await cancel(parseSettings(readInputs()));
  } catch (error) {
    if (error instanceof InputError) {
      fail(error.message);
      return;
    }
    debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
