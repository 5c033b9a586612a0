// The pull request's ledger, as modes of the step: track records batches on the pull request's
// comment, from-pull-request cancels the ones recorded there, and any run with `comment` updates the
// same comment with its report.

import { type JobResult, trackJob } from './cancel-job.ts';
import { mapConcurrently } from './concurrency.ts';
import { readStatuses } from './discover.ts';
import { CREDENTIAL_STAYS, resolveServiceBase } from './endpoint.ts';
import { type LedgerEntry, renderLedger } from './ledger.ts';
import { VIEW_BUDGET } from './ledger-comments.ts';
import { batches, grouped } from './numbers.ts';
import { info, notice, redact, warn } from './runner.ts';
import {
  CONCURRENCY,
  cancelTargets,
  capTargets,
  describeBatches,
  namedBatches,
  reportView,
  type Step,
  sayResults,
  type Target,
  TITLE,
  withClient,
} from './step.ts';
import { renderReport } from './summary.ts';
import { errorText, InputError } from './user-errors.ts';
import { ErrorCode, isFinalStatus } from './wire.ts';

// What people read on the comment: the report's share of it; the ledger's table takes the rest.
const REPORT_BUDGET = 16_000;
const LEDGER_TABLE_BUDGET = VIEW_BUDGET - REPORT_BUDGET - 1_000;

/** What the comment says: this run's report, then the pull request's ledger. */
function renderComment(step: Step, title: string, ledger: readonly LedgerEntry[], footer: string): string {
  const parts = [renderReport(reportView(step, title, footer), REPORT_BUDGET)];
  if (ledger.length > 0) parts.push(renderLedger(ledger, LEDGER_TABLE_BUDGET));
  return redact(parts.join('\n'));
}

/** A ledger entry as this run knows the batch now. */
function entryFor(result: JobResult, host: string, now: string, known?: LedgerEntry): LedgerEntry {
  return {
    recordedAt: now,
    ...known,
    id: result.id,
    host,
    status: result.status?.status ?? known?.status,
    outcome: result.outcome,
    updatedAt: now,
  };
}

/** The ledger's entries for the batches of `results` it holds, with what this run learned of them. */
function updatedEntries(known: readonly LedgerEntry[], results: readonly JobResult[]): LedgerEntry[] {
  const now = new Date().toISOString();
  return results.flatMap((result) => {
    const entry = known.find((candidate) => candidate.id === result.id);
    return entry ? [entryFor(result, entry.host, now, entry)] : [];
  });
}

/** track: records the batches in the pull request's ledger, reading each status first with a credential. */
export async function track(step: Step, serviceBase: string): Promise<void> {
  const { settings, report } = step;
  const ids = namedBatches(settings);
  const { currentRunUrl, requirePullRequest, updatePullRequestComment, updatedBy } = await import(
    './pr-comment.ts'
  );
  const number = requirePullRequest(settings.pullRequest, 'track');
  let results: JobResult[];
  if (settings.credential) {
    info(`Reading the status of ${describeBatches(ids)} at ${serviceBase}.`);
    results = await withClient(step, serviceBase, (client, limits) =>
      mapConcurrently(ids, CONCURRENCY, (id) => trackJob(client, limits, id)),
    );
  } else {
    results = ids.map((id): JobResult => ({ id, outcome: 'tracked' }));
  }
  // The comment below shows these results; their verdicts come once it is written, or not.
  report.record(results);
  const tracked = results.filter((result) => result.outcome === 'tracked');
  const now = new Date().toISOString();
  const run = currentRunUrl();
  const entries = tracked.map((result) => ({ ...entryFor(result, serviceBase, now), run }));
  try {
    if (entries.length > 0) {
      info(
        await updatePullRequestComment(settings.githubToken, number, {
          changes: () => entries,
          render: (ledger) => renderComment(step, TITLE, ledger, updatedBy()),
        }),
      );
    }
  } catch (error) {
    const why = describeGitHubError(error);
    results = results.map(
      (result): JobResult =>
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
  sayResults(step, results, serviceBase);
}

/** The one service the ledger's pending batches share, when no endpoint was given. */
function ledgerService(step: Step, pending: readonly LedgerEntry[]): string {
  const hosts = [...new Set(pending.map((entry) => entry.host))];
  if (hosts.length > 1) {
    throw new InputError(
      `The pull request's batches are on ${hosts.length} resources (${hosts.map((host) => new URL(host).host).join(', ')}): set endpoint to one; a step cancels the batches of one resource.`,
    );
  }
  const [host = ''] = hosts;
  return resolveServiceBase(
    '',
    { serviceUrl: new URL(host), inputName: "the pull request's ledger" },
    step.settings.allowedHosts,
  );
}

/** from-pull-request: cancels every batch in the pull request's ledger that has not finished. */
export async function cancelFromPullRequest(step: Step): Promise<void> {
  const { settings, report } = step;
  const { readPullRequestLedger, requirePullRequest, updatePullRequestComment, updatedBy } = await import(
    './pr-comment.ts'
  );
  const number = requirePullRequest(settings.pullRequest, 'from-pull-request');
  const { ledger, foreign, unreadable, unreadableComments } = await readPullRequestLedger(
    settings.githubToken,
    number,
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
        : `All ${ledger.length} recorded translations have finished`;
    notice(`${what} on pull request #${number}: nothing to cancel.`);
    return;
  }
  const serviceBase = settings.serviceBase ?? ledgerService(step, pending);
  const targets = capTargets(
    step,
    pending.map((entry): Target => {
      if (entry.host === serviceBase) return { id: entry.id };
      const message = `recorded on ${new URL(entry.host).host}, not on the endpoint ${new URL(serviceBase).host}: skipped, ${CREDENTIAL_STAYS}; stop it with a step whose endpoint is ${entry.host}.`;
      return { id: entry.id, refused: { code: ErrorCode.OtherEndpoint, message } };
    }),
    ', the first recorded',
  );
  info(
    `Pull request #${number} recorded ${batches(ledger.length)}; ${grouped(pending.length)} may still be running.`,
  );
  await withClient(step, serviceBase, async (client, limits) => {
    // Their statuses and counts, a hundred to a list request: each cancel then needs no read of its own.
    const sent = targets.filter((target) => !target.refused).map((target) => target.id);
    const { statuses, requests } = await readStatuses(client, sent, CONCURRENCY);
    if (sent.length > 1)
      info(`Read the status of ${batches(statuses.size)} in ${grouped(requests)} list requests.`);
    const listed = targets.map((target) => ({ ...target, listed: statuses.get(target.id) }));
    await cancelTargets(step, client, limits, listed, serviceBase);
  });
  if (settings.dryRun) {
    info('Dry run: the pull request comment is left as it is.');
    return;
  }
  const acted = report.results.filter((result) => result.error?.code !== ErrorCode.OtherEndpoint);
  try {
    info(
      await updatePullRequestComment(settings.githubToken, number, {
        changes: (known) => updatedEntries(known, acted),
        render: (latest) => renderComment(step, TITLE, latest, updatedBy()),
      }),
    );
  } catch (error) {
    warn(`Could not update the comment on pull request #${number}${describeGitHubError(error)}`);
  }
}

/** Why GitHub refused, and what to do, as the end of a sentence that starts with what could not be done. */
function describeGitHubError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const text = errorText(error).replace(/\.$/, '');
  const advice =
    status === 401 || status === 403 || status === 404
      ? 'Grant the job `permissions: pull-requests: write`; a pull request from a fork gets a read-only token.'
      : status === 422
        ? 'GitHub refused what was written; tell the maintainers of this action.'
        : 'GitHub may be having trouble: run the job again.';
  return `${status ? ` (HTTP ${status})` : ''}: ${text}. ${advice}`;
}

/** With `comment`, this run's report on the pull request, and the ledger's batches it touched; a failure only warns. */
export async function commentOnPullRequest(step: Step, title: string): Promise<void> {
  const { settings, report } = step;
  try {
    const { eventName, pullRequestNumber, updatePullRequestComment, updatedBy } = await import(
      './pr-comment.ts'
    );
    const number = pullRequestNumber(settings.pullRequest);
    if (number === undefined) {
      info(`No pull request comment: the event is ${eventName()}, not a pull request.`);
      return;
    }
    info(
      await updatePullRequestComment(settings.githubToken, number, {
        // Batches of the ledger that this run touched show their new status there too.
        changes: (known) => updatedEntries(known, report.results),
        render: (ledger) => renderComment(step, title, ledger, updatedBy()),
      }),
    );
  } catch (error) {
    warn(`Could not comment on the pull request${describeGitHubError(error)}`);
  }
}
