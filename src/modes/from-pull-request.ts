// from-pull-request: cancels every batch in the pull request's ledger that has not finished, reading
// their statuses a hundred to a request first, then writes each outcome into the ledger.

import { isFinalStatus, type Target } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { batches, grouped, plural } from '../common/numbers.ts';
import type { Mode } from '../common/types.ts';
import { InputError } from '../common/user-errors.ts';
import { type LedgerEntry, updatedEntries } from '../github/ledger.ts';
import { info, notice, warn } from '../github/runner.ts';
import { renderComment } from '../report/html-report.ts';
import { sayResults } from '../report/verdict.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { CONCURRENCY } from '../service/concurrency.ts';
import { withClient } from '../service/connection.ts';
import { readStatuses } from '../service/discover.ts';
import { NO_CREDENTIAL } from '../settings/credential.ts';
import { resolveServiceBase } from '../settings/endpoint.ts';
import { capTargets, type Step, TITLE } from './step.ts';

/** The one service the ledger's pending batches share, when no endpoint was given. */
function ledgerService(step: Step, pending: readonly LedgerEntry[]): string {
  const services = [...new Set(pending.map((entry) => entry.serviceBase))];
  if (services.length > 1) {
    throw new InputError(
      `The pull request's batches are on ${services.length} resources (${services.map((service) => new URL(service).host).join(', ')}): set endpoint to one; a step cancels the batches of one resource.`,
    );
  }
  const [service = ''] = services;
  return resolveServiceBase(
    '',
    { serviceUrl: new URL(service), inputName: "the pull request's ledger" },
    step.settings.allowedHosts,
  );
}

/** Cancels every batch in the pull request's ledger that has not finished. */
export async function cancelFromPullRequest(
  step: Step,
  mode: Extract<Mode, { kind: 'from-pull-request' }>,
): Promise<void> {
  const { settings, report } = step;
  const { describeGitHubError, requirePullRequest, updatedBy } = await import('../github/pr-comment.ts');
  const { readPullRequestLedger, updatePullRequestComment } = await import('../github/ledger-comments.ts');
  const number = requirePullRequest(settings.pullRequest, 'from-pull-request');
  const { ledger, foreign, unreadable, unreadableComments } = await readPullRequestLedger(
    settings.githubToken,
    number,
    step.limits,
  );
  if (foreign > 0) {
    report.say({
      action: 'warn',
      message: `${foreign} comments on pull request #${number} by someone other than github-token's user carry this action's marker: ignored, since anyone may comment on a pull request.`,
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
  const serviceBase = mode.serviceBase ?? ledgerService(step, pending);
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
