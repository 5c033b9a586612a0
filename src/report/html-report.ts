// The report people read, in the job summary and the pull request comment: a one-line verdict first,
// a table narrow enough for a comment (numbers right-aligned, with a total row), then what needs a
// look, cause first. HTML (GitHub renders Markdown with HTML) without blank lines, so that nothing in
// it is read as Markdown; every text from outside made inert; under a size budget.

import { type BatchResult, isFinalStatus, OUTCOMES, statusKind, totalOf } from '../common/batch.ts';
import { inertText } from '../common/html.ts';
import { batches, grouped, plural } from '../common/numbers.ts';
import { redact } from '../common/printable.ts';
import { type LedgerEntry, VIEW_BUDGET } from '../github/ledger.ts';
import type { Search } from '../modes/outcome.ts';
import { header, row, totalRow } from './batch-table.ts';
import { renderLedger } from './ledger-view.ts';
import type { Verdict } from './wording.ts';

/** A warning or failure about the step as a whole, as the job summary and the comment show it. */
export interface Note {
  level: 'warn' | 'fail';
  message: string;
}

/** What the report shows of a step, as html-report.ts renders it. */
export interface ReportView {
  title: string;
  results: readonly BatchResult[];
  /** The verdict on each result, in the same order. */
  verdicts: readonly Verdict[];
  notes: readonly Note[];
  search?: Search;
  /** With wait: true, a Cancelling batch was waited for; without, its final counts come later. */
  waited: boolean;
  /** A line saying which run wrote this, for the comment. */
  footer?: string;
}

// The runner drops a step's whole summary over 1 MiB of UTF-8 (and just below it, silently: actions/
// runner #4337): the report stays within this many bytes, whatever the service's text holds.
export const SUMMARY_SIZE_BUDGET = 1_000 * 1_024 - 24_000;
// Past this many rows the table folds away, the verdict and the totals staying in view.
const FOLD_AFTER_ROWS = 10;
// What the service said, quoted for this many batches of a kind: the rest are in the results output.
const MAX_DETAILS = 20;

// How the verdict line counts each outcome beside others ("1 had already finished").
const MIXED_WORDS: Record<Exclude<BatchResult['outcome'], 'cancel-requested'>, string> = {
  'already-cancelled': 'already cancelled',
  'already-finished': 'had already finished',
  'would-cancel': 'would be cancelled',
  'left-alone': 'left alone',
  tracked: 'recorded',
  error: 'to look at below',
};

/** What the batches were charged, in words: characters, and images where the service says. */
function charges(results: readonly BatchResult[]): string {
  const characters = totalOf(results, 'totalCharacterCharged');
  const images = totalOf(results, 'totalImageCharged');
  if (characters === undefined) return '';
  const imagePart = images ? ` and ${plural(images, 'image')}` : '';
  return `${plural(characters, 'character')}${imagePart} charged`;
}

/** The most severe of what the step said: about a batch, or about the step as a whole. */
function icon(view: ReportView): string {
  const levels = [...view.verdicts.map((verdict) => verdict.action), ...view.notes.map((note) => note.level)];
  if (levels.includes('fail')) return '❌';
  if (levels.includes('warn')) return '⚠️';
  return '✅';
}

/** The one line that says what happened, with an icon, the count and the money. */
function headline(view: ReportView): string {
  const { results, verdicts } = view;
  const total = results.length;
  const money = charges(results);
  const failed = verdicts.filter((verdict) => verdict.action === 'fail');
  const outcomes = new Set(results.map((result) => result.outcome));
  const only = (outcome: BatchResult['outcome']) => outcomes.size === 1 && outcomes.has(outcome);
  let text: string;
  if (total === 0) {
    text = view.notes.some((note) => note.level === 'fail') ? 'The step failed' : 'Nothing to cancel';
  } else if (failed.length > 0) {
    const cause = failed[0]?.cause ?? 'an error';
    text = `${grouped(failed.length)} of ${batches(total)} not cancelled: ${cause}`;
  } else if (only('already-finished')) {
    text = `${batches(total)} had already finished${money ? ` — ${money}` : ''}, nothing cancelled`;
  } else if (only('would-cancel')) {
    text = `Dry run: ${batches(total)} would be cancelled`;
  } else if (only('tracked')) {
    text = `Recorded ${batches(total)} on the pull request`;
  } else if (only('left-alone')) {
    text = `${batches(total)} no longer running: nothing to cancel`;
  } else {
    // Each outcome with its count, cancels requested first; the first part names the batches.
    const present = OUTCOMES.filter((outcome) => outcomes.has(outcome));
    const parts = present.map((outcome, index) => {
      const count = results.filter((result) => result.outcome === outcome).length;
      if (outcome === 'cancel-requested') return `Cancel requested for ${batches(count)}`;
      return `${index === 0 ? batches(count) : grouped(count)} ${MIXED_WORDS[outcome]}`;
    });
    // Counts are final only once each batch's status is.
    const soFar = results.some((result) => !isFinalStatus(result.status?.status)) ? ' so far' : '';
    text = `${parts.join(', ')}${money ? ` — ${money}${soFar}` : ''}`;
  }
  return `<p><b>${icon(view)} ${inertText(text)}</b></p>`;
}

function searchLine(search: Search, acted: number): string {
  const left = search.leftOver > 0 ? `; ${grouped(search.leftOver)} left for a later run by max-jobs` : '';
  return `<p>Searched for NotStarted or Running batches created before ${inertText(search.createdBefore)} (stale-after ${inertText(search.staleAfter)}): found ${grouped(search.found)}, acted on ${grouped(acted)}${left}.</p>`;
}

/** What needs a look: each cause once, in bold, with what to do, then the service's words and ids. */
function resultNotes(view: ReportView): string[] {
  // Each batch's id goes with its own details: not every verdict has details.
  const groups = new Map<
    string,
    { verdict: Verdict; ids: string[]; details: { id: string; said: string }[] }
  >();
  view.results.forEach((result, index) => {
    const verdict = view.verdicts[index];
    if (!verdict?.cause || (verdict.action !== 'warn' && verdict.action !== 'fail')) return;
    const key = `${verdict.action} ${verdict.cause}`;
    const group = groups.get(key) ?? { verdict, ids: [], details: [] };
    group.ids.push(result.id);
    if (verdict.details) group.details.push({ id: result.id, said: verdict.details });
    groups.set(key, group);
  });
  return [...groups.values()].map(({ verdict, ids, details }) => {
    const mark = verdict.action === 'fail' ? '❌' : '⚠️';
    const which = ids.length === 1 ? `batch <code>${inertText(ids[0] ?? '')}</code>` : batches(ids.length);
    const [first] = details;
    const said = !first
      ? ''
      : ids.length === 1
        ? `<br><sub>${inertText(first.said)}</sub>`
        : `<details><summary>what the service said</summary><sub>${details
            .slice(0, MAX_DETAILS)
            .map(({ id, said }) => `${inertText(id)}: ${inertText(said)}`)
            .concat(
              details.length > MAX_DETAILS
                ? [`and ${batches(details.length - MAX_DETAILS)} more, in the step's results output`]
                : [],
            )
            .join('<br>')}</sub></details>`;
    return `<p>${mark} <b>${inertText(verdict.cause ?? '')}</b> (${which}) — ${inertText(verdict.advice ?? '')}${said}</p>`;
  });
}

function stepNotes(notes: readonly Note[]): string[] {
  return notes.map(
    (note) => `<p>${note.level === 'fail' ? '❌' : '⚠️'} ${inertText(note.message.slice(0, 2000))}</p>`,
  );
}

/** A Cancelling batch was not waited for: documents in progress may still finish, and cost. */
function cancellingLine(view: ReportView): string[] {
  const cancelling = view.results.some(
    ({ outcome, status }) =>
      outcome === 'cancel-requested' &&
      statusKind(status?.status) === 'cancelled' &&
      !isFinalStatus(status?.status),
  );
  if (!cancelling || view.waited) return [];
  return [
    '<p>Documents already being translated may still finish and be charged; <code>wait: true</code> reports the final counts.</p>',
  ];
}

/** Batches whose counts could not be read after the cancel: their cells are empty, not zero. */
function countsLine(view: ReportView): string[] {
  const unread = view.results.filter((result) => result.countsError);
  const [first] = unread;
  if (!first?.countsError) return [];
  const which = unread.length === 1 ? `batch <code>${inertText(first.id)}</code>` : batches(unread.length);
  const why = `${first.countsError.code}: ${first.countsError.message}`;
  return [
    `<p>The counts of ${which} could not be read after the cancel (${inertText(why)}), so they are left empty: the cancel's own answer carries none. A later status read, or <code>wait: true</code>, gives them.</p>`,
  ];
}

/** Text's size as the runner and GitHub count it: UTF-8 bytes. */
function bytesOf(text: string): number {
  return Buffer.byteLength(text);
}

/** The notes that fit in `budget` bytes, and a line that counts the rest. */
function notesWithin(notes: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let size = 0;
  for (const note of notes) {
    if (size + bytesOf(note) > budget) {
      kept.push(
        `<p>${grouped(notes.length - kept.length)} more notes left out here for the size; the log has them all.</p>`,
      );
      break;
    }
    kept.push(note);
    size += bytesOf(note) + 1;
  }
  return kept;
}

/** The report as HTML, within `sizeBudget` UTF-8 bytes. */
export function renderReport(view: ReportView, sizeBudget = SUMMARY_SIZE_BUDGET): string {
  const { results } = view;
  const head = [`<h2>${inertText(view.title)}</h2>`, headline(view)];
  if (view.search) head.push(searchLine(view.search, results.length));
  // What needs a look comes before the rows, but never takes more than half the room.
  const notes = notesWithin(
    [...cancellingLine(view), ...countsLine(view), ...resultNotes(view), ...stepNotes(view.notes)],
    sizeBudget / 2,
  );
  const tail = view.footer ? [view.footer] : [];
  let size = bytesOf([...head, ...notes, ...tail].join('\n'));
  const parts = [...head];
  if (results.length > 0) {
    const columns = { images: totalOf(results, 'totalImageCharged') !== undefined };
    const rows: string[] = [];
    const total = results.length > 1 ? totalRow(results, columns) : '';
    size += bytesOf(header(columns)) * 2 + bytesOf(total) + 400;
    for (const result of results) {
      const next = row(result, columns);
      if (size + bytesOf(next) > sizeBudget) break;
      rows.push(next);
      size += bytesOf(next);
    }
    const folded = results.length > FOLD_AFTER_ROWS;
    const table = `<table>${header(columns)}${rows.join('')}${folded ? '' : total}</table>`;
    if (folded) {
      // The fold's title says what it holds: all the batches, or the first of them.
      const holds =
        rows.length === results.length
          ? `All ${batches(results.length)}`
          : `The first ${grouped(rows.length)} of the ${batches(results.length)}`;
      parts.push(`<table>${header(columns)}${total}</table>`);
      parts.push(`<details><summary>${holds}</summary>${table}</details>`);
    } else {
      parts.push(table);
    }
    if (rows.length < results.length) {
      parts.push(
        `<p>${batches(results.length - rows.length)} more are left out here to stay under the size limit; the step's count outputs cover them, and its results output lists them (up to a job's 1 MB of outputs).</p>`,
      );
    }
  }
  return [...parts, ...notes, ...tail].join('\n');
}

// What people read on the comment: the report's share of it; the ledger's table takes the rest.
const REPORT_BUDGET = 16_000;
const LEDGER_TABLE_BUDGET = VIEW_BUDGET - REPORT_BUDGET - 1_000;

/** What the pull request comment says: this run's report, then the pull request's ledger. */
export function renderComment(view: ReportView, ledger: readonly LedgerEntry[]): string {
  const parts = [renderReport(view, REPORT_BUDGET)];
  const { GITHUB_SERVER_URL: server = 'https://github.com', GITHUB_REPOSITORY: repository } = process.env;
  const runsBase = repository ? `${server}/${repository}/actions/runs/` : undefined;
  if (ledger.length > 0) parts.push(renderLedger(ledger, LEDGER_TABLE_BUDGET, runsBase));
  return redact(parts.join('\n'));
}
