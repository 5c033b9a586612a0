// track: records the batches named in job-id or operation-location in the pull request's ledger, so
// that a step with from-pull-request stops them when the pull request closes; it cancels nothing.

import type { BatchResult } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { describeBatches } from '../common/numbers.ts';
import { entryFor } from '../github/ledger.ts';
import { trackBatch } from '../service/cancel-batch.ts';
import { CONCURRENCY, mapConcurrently } from '../service/concurrency.ts';
import type { Mode } from '../settings/settings.ts';
import type { ModeOutcome } from './outcome.ts';
import { type LedgerContext, outcomeOf } from './step.ts';

/** Records the batches in the pull request's ledger, reading each status first when there is a credential. */
export async function track(
  mode: Extract<Mode, { kind: 'track' }>,
  context: LedgerContext,
): Promise<ModeOutcome> {
  const { github } = context;
  const { ids, serviceBase, credential } = mode;
  const { describeGitHubError } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/pr-comment.ts'
  );
  const { currentCommit, currentRunUrl, repositoryName, requirePullRequest, updatedBy } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/pull-request.ts'
  );
  const { updatePullRequestComment } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/ledger-comments.ts'
  );
  const { sealed, sealKeyOf } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/ledger-seal.ts'
  );
  const number = requirePullRequest(github.pullRequest, 'track');
  let results: BatchResult[];
  if (credential) {
    context.log(`Reading the status of ${describeBatches(ids)} at ${serviceBase}.`);
    const client = await context.connect({ serviceBase, credential });
    results = await mapConcurrently(ids, CONCURRENCY, (id) => trackBatch(client, id));
  } else {
    results = ids.map((id): BatchResult => ({ id, outcome: 'tracked' }));
  }
  const tracked = results.filter((result) => result.outcome === 'tracked');
  const now = new Date().toISOString();
  const [run, commit] = [currentRunUrl(), currentCommit()];
  const entries = sealed(
    tracked.map((result) => ({ ...entryFor(result, serviceBase, now), run, commit })),
    sealKeyOf(credential),
    { repository: repositoryName(), pullRequest: number },
  );
  const outcome = { ...outcomeOf(results, serviceBase), commented: true };
  if (entries.length === 0) return outcome;
  try {
    const said = await updatePullRequestComment(
      github.token,
      number,
      { changes: () => entries, render: (ledger) => context.renderComment(outcome, ledger, updatedBy()) },
      context.limits,
    );
    context.log(said);
    return outcome;
  } catch (error) {
    const why = describeGitHubError(error);
    const notRecorded = (result: BatchResult): BatchResult =>
      result.outcome === 'tracked'
        ? {
            ...result,
            outcome: 'error',
            error: {
              code: ErrorCode.NotRecorded,
              message: `Could not record batch ${result.id} in pull request #${number}'s ledger, so no step with from-pull-request will stop it${why}`,
            },
          }
        : result;
    return { ...outcome, results: results.map(notRecorded) };
  }
}
