// track: records the batches named in job-id or operation-location in the pull request's ledger, so
// that a step with from-pull-request stops them when the pull request closes; it cancels nothing.

import type { BatchResult } from '../common/batch.ts';
import { ErrorCode } from '../common/error-codes.ts';
import { describeBatches } from '../common/numbers.ts';
import type { Mode } from '../common/types.ts';
import { entryFor } from '../github/ledger.ts';
import { info } from '../github/runner.ts';
import { renderComment } from '../report/html-report.ts';
import { sayResults } from '../report/verdict.ts';
import { trackBatch } from '../service/cancel-batch.ts';
import { CONCURRENCY, mapConcurrently } from '../service/concurrency.ts';
import { withClient } from '../service/connection.ts';
import { type Step, TITLE } from './step.ts';

/** Records the batches in the pull request's ledger, reading each status first when there is a credential. */
export async function track(step: Step, mode: Extract<Mode, { kind: 'track' }>): Promise<void> {
  const { settings, report } = step;
  const { ids, serviceBase, credential } = mode;
  const { describeGitHubError } = await import('../github/pr-comment.ts');
  const { currentCommit, currentRunUrl, repositoryName, requirePullRequest, updatedBy } = await import(
    '../github/pull-request.ts'
  );
  const { updatePullRequestComment } = await import('../github/ledger-comments.ts');
  const { sealed, sealKeyOf } = await import('../github/ledger-seal.ts');
  const number = requirePullRequest(settings.pullRequest, 'track');
  let results: BatchResult[];
  if (credential) {
    info(`Reading the status of ${describeBatches(ids)} at ${serviceBase}.`);
    results = await withClient(step, { serviceBase, credential }, (client, limits) =>
      mapConcurrently(ids, CONCURRENCY, (id) => trackBatch(client, limits, id)),
    );
  } else {
    results = ids.map((id): BatchResult => ({ id, outcome: 'tracked' }));
  }
  // The comment below shows these results; their verdicts come once it is written, or not.
  report.record(results);
  const tracked = results.filter((result) => result.outcome === 'tracked');
  const now = new Date().toISOString();
  const run = currentRunUrl();
  const commit = currentCommit();
  const entries = sealed(
    tracked.map((result) => ({ ...entryFor(result, serviceBase, now), run, commit })),
    sealKeyOf(credential),
    { repository: repositoryName(), pullRequest: number },
  );
  try {
    if (entries.length > 0) {
      info(
        await updatePullRequestComment(
          settings.githubToken,
          number,
          {
            changes: () => entries,
            render: (ledger) => renderComment(step.report.view(TITLE, updatedBy()), ledger),
          },
          step.limits,
        ),
      );
    }
  } catch (error) {
    const why = describeGitHubError(error);
    results = results.map(
      (result): BatchResult =>
        result.outcome === 'tracked'
          ? {
              ...result,
              outcome: 'error',
              error: {
                code: ErrorCode.NotRecorded,
                message: `Could not record batch ${result.id} in pull request #${number}'s ledger, so no step with from-pull-request will stop it${why}`,
              },
            }
          : result,
    );
  }
  sayResults(step.report, results, step.settings, serviceBase);
}
