// cancel-stale: finds every NotStarted or Running batch created longer ago than stale-after, across
// every page of the list, and cancels (or, in a dry run, checks) the oldest, up to max-jobs.

import type { Target } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { grouped } from '../common/numbers.ts';
import { quote } from '../common/user-errors.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { findStaleBatches } from '../service/discover.ts';
import type { Mode } from '../settings/settings.ts';
import type { ModeOutcome } from './outcome.ts';
import { capTargets, type ModeContext, outcomeOf } from './step.ts';

const NOTHING_TO_CANCEL = { level: 'info', message: 'Nothing to cancel.' } as const;

export async function cancelStale(
  mode: Extract<Mode, { kind: 'cancel-stale' }>,
  context: ModeContext,
): Promise<ModeOutcome> {
  const { staleAfter, staleAfterMs, serviceBase, maxJobs } = mode;
  const client = await context.connect(mode);
  const createdBefore = new Date(Date.now() - staleAfterMs);
  context.log(
    `Looking for NotStarted or Running batches created before ${createdBefore.toISOString()} (stale-after ${staleAfter}).`,
  );
  const found = await findStaleBatches(client, createdBefore);
  if ('error' in found) {
    const message = `Could not list the batches at ${serviceBase}: ${found.error.code}: ${found.error.message}`;
    return { ...outcomeOf([], serviceBase), notes: [{ level: 'fail', message }] };
  }
  context.log(`Found ${grouped(found.batches.length)} stale batches in ${grouped(found.pages)} pages.`);
  const listed: Target[] = found.batches.map((status) => ({ id: status.id, listed: status }));
  for (const invalidId of found.invalidIds) {
    const id = quote(invalidId);
    const message = `the list of batches gave ${id}, which is not a batch id (a GUID): it was not sent anywhere.`;
    listed.push({ id, refused: { code: ErrorCode.UnexpectedResponse, message } });
  }
  const search = {
    staleAfter,
    createdBefore: createdBefore.toISOString(),
    found: listed.length,
    leftOver: Math.max(0, listed.length - maxJobs),
  };
  if (listed.length === 0) return { ...outcomeOf([], serviceBase), notes: [NOTHING_TO_CANCEL], search };
  const { targets, notes } = capTargets(listed, maxJobs, 'oldest');
  const results = await cancelAll(client, targets, mode);
  return { results, serviceBase, waited: mode.wait, notes, search };
}
