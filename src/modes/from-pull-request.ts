// from-pull-request: cancels every batch in the pull request's ledger that has not finished, reading
// their statuses a hundred to a request first, then writes each outcome into the ledger.

import { isFinalStatus, type Target } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { batches, grouped, plural } from '../common/numbers.ts';
import type { Mode } from '../common/types.ts';
import { InputError } from '../common/user-errors.ts';
import { updatedEntries } from '../github/ledger.ts';
import { info, notice, warn } from '../github/runner.ts';
import { renderComment } from '../report/html-report.ts';
import { sayResults } from '../report/verdict.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { CONCURRENCY } from '../service/concurrency.ts';
import { withClient } from '../service/connection.ts';
import { readStatuses } from '../service/discover.ts';
import { NO_CREDENTIAL } from '../settings/credential.ts';
import { capTargets, type Step, TITLE } from './step.ts';

/** Cancels every batch in the pull request's ledger that has not finished. */
export async function cancelFromPullRequest(
  step: Step,
  mode: Extract<Mode, { kind: 'from-pull-request' }>,
): Promise<void> {
  const { settings, report } = step;
  const { describeGitHubError } = await import('../github/pr-comment.ts');
  const { repositoryName, requirePullRequest, updatedBy } = await import('../github/pull-request.ts');
  const { readPullRequestLedger, updatePullRequestComment } = await import('../github/ledger-comments.ts');
  const number = requirePullRequest(settings.pullRequest, 'from-pull-request');
  // With a subscription key, only the entries sealed for this pull request under it are acted on.
  const { sealCheck, sealKeyOf } = await import('../github/ledger-seal.ts');
  const key = sealKeyOf(mode.credential);
  const scope = { repository: repositoryName(), pullRequest: number };
  const refused = { unsealed: new Set<string>(), 'not this pull request': new Set<string>() };
  const { ledger, foreign, unreadable, unreadableComments } = await readPullRequestLedger(
    settings.githubToken,
    number,
    step.limits,
    key &&
      ((entry) => {
        // A batch on another resource is skipped all the same, and said so (OtherEndpoint).
        if (entry.serviceBase !== mode.serviceBase) return true;
        const check = sealCheck(entry, key, scope);
        if (check !== 'sealed') refused[check].add(entry.id);
        return check === 'sealed';
      }),
  );
  if (refused['not this pull request'].size > 0) {
    report.say({
      action: 'warn',
      message: `${batches(refused['not this pull request'].size)} in comments on pull request #${number} carry a seal that is not this pull request's under this step's subscription-key (a record copied from another pull request, or recorded with another key): not cancelled.`,
    });
  }
  if (refused.unsealed.size > 0) {
    report.say({
      action: 'warn',
      message: `${batches(refused.unsealed.size)} in pull request #${number}'s ledger carry no seal (recorded by a step without a subscription-key), so this step cannot tell that this pull request started them: not cancelled; stop them with job-id if it did.`,
    });
  }
  if (foreign > 0) {
    report.say({
      action: 'warn',
      message: `${foreign} comments on pull request #${number} carry this action's marker but are not its ledger (written by someone other than github-token's user, or quoting the marker inside other text): ignored, since anyone may comment on a pull request.`,
    });
  }
  for (const url of unreadableComments) {
    report.say({
      action: 'warn',
      message: `The ledger in the comment ${url} could not be read (edited by hand?), so its batches are not cancelled: restore the comment from its edit history, then run this step again, or cancel those batches by job-id.`,
    });
  }
  const dropped = unreadable - unreadableComments.length;
  if (dropped > 0) {
    report.say({
      action: 'warn',
      message: `${dropped} entries of pull request #${number}'s ledger could not be read: ignored.`,
    });
  }
  const pending = ledger.filter((entry) => !isFinalStatus(entry.status));
  if (pending.length === 0) {
    const what =
      ledger.length === 0
        ? 'No translations are recorded'
        : `All ${grouped(ledger.length)} recorded translations have finished`;
    // A fork's or Dependabot's pull request gets no secrets, and started nothing: no credential is needed.
    const needed = mode.credential ? '' : ' The step has no credential, and needs none.';
    notice(`${what} on pull request #${number}: nothing to cancel.${needed}`);
    return;
  }
  const { credential } = mode;
  if (!credential) {
    throw new InputError(
      `Pull request #${number} recorded ${batches(pending.length)} that may still be running, and the step has no credential to stop them. ${NO_CREDENTIAL}`,
    );
  }
  // The credential goes only to the endpoint the workflow names, never to a host a ledger record
  // names: anyone who can get text into a comment by the same bot could write one.
  const { serviceBase } = mode;
  if (!serviceBase) {
    throw new InputError(
      `Pull request #${number} recorded ${batches(pending.length)} that may still be running: set endpoint to the resource they are on (https://<resource>.cognitiveservices.azure.com); from-pull-request sends the credential only there.`,
    );
  }
  const targets = capTargets(
    step,
    pending.map((entry): Target => {
      if (entry.serviceBase === serviceBase) return { id: entry.id };
      const message = `recorded on ${new URL(entry.serviceBase).host}, not on the endpoint ${new URL(serviceBase).host}: skipped, ${CREDENTIAL_STAYS}; stop it with a step whose endpoint is ${entry.serviceBase}.`;
      return { id: entry.id, refused: { code: ErrorCode.OtherEndpoint, message } };
    }),
    mode.maxJobs,
    ', the first recorded',
  );
  info(
    `Pull request #${number} recorded ${batches(ledger.length)}; ${grouped(pending.length)} may still be running.`,
  );
  await withClient(step, { serviceBase, credential }, async (client, limits) => {
    // Their statuses and counts, a hundred to a list request: each cancel then needs no read of its own.
    const sent = targets.filter((target) => !target.refused).map((target) => target.id);
    const { statuses, requests, refused } = await readStatuses(client, sent, CONCURRENCY);
    if (sent.length > 1)
      info(`Read the status of ${batches(statuses.size)} in ${plural(requests, 'list request')}.`);
    if (refused) {
      info(
        `The service refused ${plural(refused.lists, 'list request')} of batch ids (${refused.error.code}: ${refused.error.message}): the status of each of those batches is read with its cancel instead.`,
      );
    }
    const listed = targets.map((target) => ({ ...target, listed: statuses.get(target.id) }));
    const results = await cancelAll(client, limits, listed, mode);
    sayResults(step.report, results, step.settings, serviceBase, mode.wait);
  });
  if (mode.dryRun) {
    info('Dry run: the pull request comment is left as it is.');
    return;
  }
  const acted = report.results.filter((result) => result.error?.code !== ErrorCode.OtherEndpoint);
  try {
    info(
      await updatePullRequestComment(
        settings.githubToken,
        number,
        {
          changes: (known) => updatedEntries(known, acted),
          render: (latest) => renderComment(step.report.view(TITLE, updatedBy()), latest),
        },
        step.limits,
      ),
    );
  } catch (error) {
    warn(`Could not update the comment on pull request #${number}${describeGitHubError(error)}`);
  }
}
