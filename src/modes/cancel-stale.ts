// cancel-stale: finds every NotStarted or Running batch created longer ago than stale-after, across
// every page of the list, and cancels (or, in a dry run, checks) the oldest, up to max-jobs.

import type { Target } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { grouped } from '../common/numbers.ts';
import type { Mode } from '../common/types.ts';
import { quote } from '../common/user-errors.ts';
import { info } from '../github/runner.ts';
import { sayResults } from '../report/verdict.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { withClient } from '../service/connection.ts';
import { findStaleBatches } from '../service/discover.ts';
import type { TranslatorClient } from '../service/translator-client.ts';
import { capTargets, type Step } from './step.ts';

type CancelStale = Extract<Mode, { kind: 'cancel-stale' }>;

/** The batches found, or undefined after reporting why there are none to act on. */
async function findStale(
  step: Step,
  client: TranslatorClient,
  mode: CancelStale,
): Promise<Target[] | undefined> {
  const { staleAfter, staleAfterMs, serviceBase, maxJobs } = mode;
  const createdBefore = new Date(Date.now() - staleAfterMs);
  info(
    `Looking for NotStarted or Running batches created before ${createdBefore.toISOString()} (stale-after ${staleAfter}).`,
  );
  const found = await findStaleBatches(client, createdBefore);
  if ('error' in found) {
    step.report.say({
      action: 'fail',
      message: `Could not list the batches at ${serviceBase}: ${found.error.code}: ${found.error.message}`,
    });
    return undefined;
  }
  info(`Found ${grouped(found.batches.length)} stale batches in ${grouped(found.pages)} pages.`);
  const targets: Target[] = found.batches.map((listed) => ({ id: listed.id, listed }));
  for (const invalidId of found.invalidIds) {
    const id = quote(invalidId);
    const message = `the list of batches gave ${id}, which is not a batch id (a GUID): it was not sent anywhere.`;
    targets.push({ id, refused: { code: ErrorCode.UnexpectedResponse, message } });
  }
  step.report.recordSearch({
    staleAfter,
    createdBefore: createdBefore.toISOString(),
    found: targets.length,
    leftOver: Math.max(0, targets.length - maxJobs),
  });
  return capTargets(step, targets, maxJobs, ', the oldest');
}

export async function cancelStale(step: Step, mode: CancelStale): Promise<void> {
  await withClient(step, mode, async (client, limits) => {
    const targets = await findStale(step, client, mode);
    if (!targets) return;
    const results = await cancelAll(client, limits, targets, mode);
    sayResults(step.report, results, step.settings, mode.serviceBase, mode.wait);
  });
}
