// What a run writes on the pull request: the comment's report of this run beside the ledger's table,
// the ledger entries for what the run learned, and GitHub's refusals in words. Used by track,
// from-pull-request and any run with `comment`.

import type { BatchResult } from '../common/batch.ts';
import type { Settings } from '../common/types.ts';
import { errorText } from '../common/user-errors.ts';
import { renderReport } from '../report/html-report.ts';
import type { StepReport } from '../report/step-report.ts';
import { type LedgerEntry, renderLedger } from './ledger.ts';
import { VIEW_BUDGET } from './ledger-comments.ts';
import { info, redact, warn } from './runner.ts';

// What people read on the comment: the report's share of it; the ledger's table takes the rest.
const REPORT_BUDGET = 16_000;
const LEDGER_TABLE_BUDGET = VIEW_BUDGET - REPORT_BUDGET - 1_000;

/** What the comment says: this run's report, then the pull request's ledger. */
export function renderComment(
  report: StepReport,
  title: string,
  ledger: readonly LedgerEntry[],
  footer: string,
): string {
  const parts = [renderReport(report.view(title, footer), REPORT_BUDGET)];
  if (ledger.length > 0) parts.push(renderLedger(ledger, LEDGER_TABLE_BUDGET));
  return redact(parts.join('\n'));
}

/** A ledger entry as this run knows the batch now. */
export function entryFor(
  result: BatchResult,
  serviceBase: string,
  now: string,
  known?: LedgerEntry,
): LedgerEntry {
  return {
    recordedAt: now,
    ...known,
    id: result.id,
    serviceBase,
    status: result.status?.status ?? known?.status,
    outcome: result.outcome,
    updatedAt: now,
  };
}

/** The ledger's entries for the batches of `results` it holds, with what this run learned of them. */
export function updatedEntries(
  known: readonly LedgerEntry[],
  results: readonly BatchResult[],
): LedgerEntry[] {
  const now = new Date().toISOString();
  const byId = new Map(known.map((entry) => [entry.id, entry]));
  return results.flatMap((result) => {
    const entry = byId.get(result.id);
    return entry ? [entryFor(result, entry.serviceBase, now, entry)] : [];
  });
}

/** Why GitHub refused, and what to do, as the end of a sentence that starts with what could not be done. */
export function describeGitHubError(error: unknown): string {
  const status = (error as { status?: number }).status;
  const text = errorText(error).replace(/\.$/, '');
  const advice =
    status === 401 || status === 403 || status === 404
      ? 'Grant the job `permissions: pull-requests: write`; a pull request from a fork gets a read-only token.'
      : status === 422
        ? 'GitHub refused what was written; tell the maintainers of this action.'
        : 'Run the job again; if it fails the same way, tell the maintainers of this action.';
  return `${status ? ` (HTTP ${status})` : ''}: ${text}. ${advice}`;
}

/** With `comment`, this run's report on the pull request, and the ledger's batches it touched; a failure only warns. */
export async function commentOnPullRequest(
  settings: Settings,
  report: StepReport,
  title: string,
): Promise<void> {
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
        render: (ledger) => renderComment(report, title, ledger, updatedBy()),
      }),
    );
  } catch (error) {
    warn(`Could not comment on the pull request${describeGitHubError(error)}`);
  }
}
