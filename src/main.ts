// One cancellation, top to bottom: read inputs → resolve the job → send the cancel → interpret the
// answer → apply the policy → write outputs.
import { cancelJob } from './cancel-job.ts';
import { InputError } from './input-error.ts';
import { parseSettings, type Settings } from './inputs.ts';
import { outputsFor } from './outputs.ts';
import { debug, fail, info, onRunnerCancel, readInputs, warn, writeOutputs } from './runner.ts';
import { Deadline } from './timing.ts';
import { type RequestLimits, TranslatorClient } from './translator-client.ts';
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

async function cancel(settings: Settings, interrupt: AbortSignal): Promise<void> {
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    log: info,
  };
  const client = new TranslatorClient({ ...settings, userAgent: USER_AGENT }, limits);
  try {
    info(
      `Cancelling batch ${settings.jobId} at ${settings.serviceBase} (api-version ${settings.apiVersion}).`,
    );
    const result = await cancelJob(client, limits, settings.jobId, settings.wait);
    writeOutputs(outputsFor([result]));
    report(judge(result, settings.policy, settings));
  } finally {
    await client.close();
  }
}

export async function run(): Promise<void> {
  const interrupt = new AbortController();
  onRunnerCancel((signal) => {
    info(`Received ${signal}: the runner is cancelling the step; stopping retries and waits.`);
    interrupt.abort();
  });
  try {
    await cancel(parseSettings(readInputs()), interrupt.signal);
  } catch (error) {
    if (error instanceof InputError) {
      fail(error.message);
      return;
    }
    debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
    fail(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
