// from-pull-request: cancels every batch in the pull request's ledger that has not finished, reading
// their statuses 25 to a request first, then writes each outcome into the ledger.

import { isFinalStatus, type Target } from '../common/batch.ts';
import { CREDENTIAL_STAYS, ErrorCode } from '../common/error-codes.ts';
import { batches, grouped, plural } from '../common/numbers.ts';
import { InputError } from '../common/user-errors.ts';
import { updatedEntries } from '../github/ledger.ts';
import { cancelAll } from '../service/cancel-batch.ts';
import { CONCURRENCY } from '../service/concurrency.ts';
import { readStatuses } from '../service/discover.ts';
import { NO_CREDENTIAL } from '../settings/credential.ts';
import type { Mode } from '../settings/settings.ts';
import type { ModeNote, ModeOutcome } from './outcome.ts';
import { capTargets, type LedgerContext, type ModeContext, outcomeOf } from './step.ts';

type FromPullRequest = Extract<Mode, { kind: 'from-pull-request' }>;

/** The pull request's ledger, with what about it needs saying: only the entries this step may act on. */
async function readLedger(mode: FromPullRequest, context: ModeContext, number: number) {
  const { repositoryName } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/pull-request.ts'
  );
  const { readPullRequestLedger } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/ledger-comments.ts'
  );
  // With a subscription key, only the entries sealed for this pull request under it are acted on.
  const { sealCheck, sealKeyOf } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/ledger-seal.ts'
  );
  const key = sealKeyOf(mode.credential);
  const scope = { repository: repositoryName(), pullRequest: number };
  const refused = { unsealed: new Set<string>(), 'not this pull request': new Set<string>() };
  const read = await readPullRequestLedger(
    context.github.token,
    number,
    context.limits,
    key &&
      ((entry) => {
        // A batch on another resource is skipped all the same, and said so (OtherEndpoint).
        if (entry.serviceBase !== mode.serviceBase) return true;
        const check = sealCheck(entry, key, scope);
        if (check !== 'sealed') refused[check].add(entry.id);
        return check === 'sealed';
      }),
  );
  const notes: ModeNote[] = [];
  const warn = (message: string) => notes.push({ level: 'warn', message });
  if (refused['not this pull request'].size > 0) {
    warn(
      `${batches(refused['not this pull request'].size)} in comments on pull request #${number} carry a seal that is not this pull request's under this step's subscription-key (a record copied from another pull request, or recorded with another key): not cancelled.`,
    );
  }
  if (refused.unsealed.size > 0) {
    warn(
      `${batches(refused.unsealed.size)} in pull request #${number}'s ledger carry no seal (recorded by a step without a subscription-key), so this step cannot tell that this pull request started them: not cancelled; stop them with job-id if it did.`,
    );
  }
  if (read.foreign > 0) {
    warn(
      `${read.foreign} comments on pull request #${number} carry this action's marker but are not its ledger (written by someone other than github-token's user, or quoting the marker inside other text): ignored, since anyone may comment on a pull request.`,
    );
  }
  for (const url of read.unreadableComments) {
    warn(
      `The ledger in the comment ${url} could not be read (edited by hand?), so its batches are not cancelled: restore the comment from its edit history, then run this step again, or cancel those batches by job-id.`,
    );
  }
  const dropped = read.unreadable - read.unreadableComments.length;
  if (dropped > 0) warn(`${dropped} entries of pull request #${number}'s ledger could not be read: ignored.`);
  return { ledger: read.ledger, notes };
}

/** Cancels every batch in the pull request's ledger that has not finished. */
export async function cancelFromPullRequest(
  mode: FromPullRequest,
  context: LedgerContext,
): Promise<ModeOutcome> {
  const { github } = context;
  const { describeGitHubError } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/pr-comment.ts'
  );
  const { requirePullRequest, updatedBy } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/pull-request.ts'
  );
  const { updatePullRequestComment } = await import(
    /* webpackChunkName: "pull-request-comment" */ '../github/ledger-comments.ts'
  );
  const number = requirePullRequest(github.pullRequest, 'from-pull-request');
  const { ledger, notes } = await readLedger(mode, context, number);
  const pending = ledger.filter((entry) => !isFinalStatus(entry.status));
  if (pending.length === 0) {
    const what =
      ledger.length === 0
        ? 'No translations are recorded'
        : `All ${grouped(ledger.length)} recorded translations have finished`;
    // A fork's or Dependabot's pull request gets no secrets, and started nothing: no credential is needed.
    const needed = mode.credential ? '' : ' The step has no credential, and needs none.';
    const message = `${what} on pull request #${number}: nothing to cancel.${needed}`;
    return { ...outcomeOf([], mode.serviceBase ?? ''), notes: [...notes, { level: 'notice', message }] };
  }
  const { credential, serviceBase } = mode;
  if (!credential) {
    throw new InputError(
      `Pull request #${number} recorded ${batches(pending.length)} that may still be running, and the step has no credential to stop them. ${NO_CREDENTIAL}`,
    );
  }
  // The credential goes only to the endpoint the workflow names, never to a host a ledger record
  // names: anyone who can get text into a comment by the same bot could write one.
  if (!serviceBase) {
    throw new InputError(
      `Pull request #${number} recorded ${batches(pending.length)} that may still be running: set endpoint to the resource they are on (https://<resource>.cognitiveservices.azure.com); from-pull-request sends the credential only there.`,
    );
  }
  const capped = capTargets(
    pending.map((entry): Target => {
      if (entry.serviceBase === serviceBase) return { id: entry.id };
      const message = `recorded on ${new URL(entry.serviceBase).host}, not on the endpoint ${new URL(serviceBase).host}: skipped, ${CREDENTIAL_STAYS}; stop it with a step whose endpoint is ${entry.serviceBase}.`;
      return { id: entry.id, refused: { code: ErrorCode.OtherEndpoint, message } };
    }),
    mode.maxJobs,
    'recorded',
  );
  context.log(
    `Pull request #${number} recorded ${batches(ledger.length)}; ${grouped(pending.length)} may still be running.`,
  );
  const client = await context.connect({ serviceBase, credential });
  // Their statuses and counts, 25 to a list request: each cancel then needs no read of its own.
  const sent = capped.targets.filter((target) => !target.refused).map((target) => target.id);
  const { statuses, requests, refused } = await readStatuses(client, sent, CONCURRENCY);
  if (sent.length > 1) {
    context.log(`Read the status of ${batches(statuses.size)} in ${plural(requests, 'list request')}.`);
  }
  if (refused) {
    context.log(
      `The service refused ${plural(refused.lists, 'list request')} of batch ids (${refused.error.code}: ${refused.error.message}): the status of each of those batches is read with its cancel instead.`,
    );
  }
  const listed = capped.targets.map((target) => ({ ...target, listed: statuses.get(target.id) }));
  const results = await cancelAll(client, listed, mode);
  const outcome: ModeOutcome = {
    ...outcomeOf(results, serviceBase, mode.wait),
    notes: [...notes, ...capped.notes],
    commented: true,
  };
  if (mode.dryRun) {
    context.log('Dry run: the pull request comment is left as it is.');
    return outcome;
  }
  const acted = results.filter((result) => result.error?.code !== ErrorCode.OtherEndpoint);
  try {
    const said = await updatePullRequestComment(
      github.token,
      number,
      {
        changes: (known) => updatedEntries(known, acted),
        render: (latest) => context.renderComment(outcome, latest, updatedBy()),
      },
      context.limits,
    );
    context.log(said);
  } catch (error) {
    const message = `Could not update the comment on pull request #${number}${describeGitHubError(error)}`;
    outcome.notes.push({ level: 'warn', message });
  }
  return outcome;
}
