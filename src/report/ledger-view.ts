// The pull request's ledger as people read it in the comment: how many batches by status, then one
// row a run (its link, its commit, its batches by status) with the run's batches folded under it,
// the runs whose batches may still be running first. A fold's title says how many it lists when the
// comment's size leaves out some; what is left out is counted, and stays in the hidden record.

import { isFinalStatus } from '../common/batch.ts';
import { inertText } from '../common/html.ts';
import { batches, grouped } from '../common/numbers.ts';

/** What the view shows of a ledger entry (github/ledger.ts's LedgerEntry has it). */
interface ShownEntry {
  id: string;
  /** The workflow run that recorded it, and the commit that run was for. */
  run?: string;
  commit?: string;
  status?: string;
  outcome?: string;
}

interface RunGroup {
  run?: string;
  commit?: string;
  entries: ShownEntry[];
}

const RUN_NUMBER = /\/runs\/(\d{1,15})$/;

/** "30 NotStarted, 2 Succeeded": how many of `entries` are in each status. */
function countsByStatus(entries: readonly ShownEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries)
    counts.set(entry.status ?? 'not read', (counts.get(entry.status ?? 'not read') ?? 0) + 1);
  return [...counts].map(([status, count]) => `${grouped(count)} ${inertText(status)}`).join(', ');
}

/**
 * A run as a link, only when it is one of this repository's runs (`runsBase`): a record anyone
 * could have planted must not put a link of theirs in the comment.
 */
function runLink(run: string | undefined, runsBase: string | undefined): string {
  if (!run) return 'not recorded';
  const number = RUN_NUMBER.exec(run)?.[1];
  const name = number ? `run ${number}` : 'run';
  return runsBase && number && run === `${runsBase}${number}`
    ? `<a href="${inertText(run)}">${name}</a>`
    : name;
}

function batchLine(entry: ShownEntry): string {
  const outcome = entry.outcome ? ` → ${inertText(entry.outcome)}` : '';
  return `<code>${inertText(entry.id)}</code> ${inertText(entry.status ?? 'not read')}${outcome}`;
}

/** The entries by the run that recorded them: runs with batches that may still be running first, latest first. */
function byRun(entries: readonly ShownEntry[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const entry of entries) {
    const key = entry.run ?? '';
    const group = groups.get(key) ?? { run: entry.run, commit: entry.commit, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  const running = (group: RunGroup) => group.entries.some((entry) => !isFinalStatus(entry.status));
  // Groups are in the order their first batch was recorded: the latest last.
  const ordered = [...groups.values()].reverse();
  return [...ordered.filter(running), ...ordered.filter((group) => !running(group))];
}

const HEADER_ROW = '<tr><th>run</th><th>commit</th><th>batches</th></tr>';

const FOLD_OPEN = '<details><summary>';

/**
 * The ledger as people read it, in at most `budget` characters; rows and batches that do not fit are
 * counted, and stay in the hidden record. Runs under `runsBase` (this repository's runs, such as
 * https://github.com/octo/app/actions/runs/) are links.
 */
export function renderLedger(
  entries: readonly ShownEntry[],
  budget = Number.POSITIVE_INFINITY,
  runsBase?: string,
): string {
  const head = [
    '<h3>Translations started by this pull request</h3>',
    `<p>${batches(entries.length)}: ${countsByStatus(entries)}.</p>`,
  ];
  // Room for the table's own tags and the line that counts what was left out.
  let size = head.join('\n').length + 400;
  // Every run's row first, as many as fit; then each run's batches, in the same order, as fit.
  const groups: Array<RunGroup & { cells: string; lines: string[] }> = [];
  for (const group of byRun(entries)) {
    const commit = group.commit ? `<code>${inertText(group.commit)}</code>` : '—';
    const cells = `<tr><td>${runLink(group.run, runsBase)}</td><td>${commit}</td><td>`;
    // The row's tags, its fold's, and a title of at most about 120 characters.
    const cost = cells.length + FOLD_OPEN.length + 140;
    if (size + cost > budget) break;
    groups.push({ ...group, cells, lines: [] });
    size += cost;
  }
  for (const group of groups) {
    for (const entry of group.entries) {
      const line = batchLine(entry);
      if (size + line.length + 4 > budget) break;
      group.lines.push(line);
      size += line.length + 4;
    }
  }
  const rows = groups.map(({ cells, lines, entries: held }) => {
    const counts = `${batches(held.length)}: ${countsByStatus(held)}`;
    // A run none of whose batches fit is its counts alone, with no fold to open.
    if (lines.length === 0) return `${cells}${counts}</td></tr>`;
    const listed = lines.length < held.length ? `; ${grouped(lines.length)} listed here` : '';
    return `${cells}${FOLD_OPEN}${counts}${listed}</summary>${lines.join('<br>')}</details></td></tr>`;
  });
  const shown = groups.reduce((total, group) => total + group.lines.length, 0);
  const parts = [...head];
  if (rows.length > 0) parts.push(`<table>${HEADER_ROW}${rows.join('')}</table>`);
  const left = entries.length - shown;
  if (left > 0) {
    parts.push(
      `<p>${batches(left)} more not listed, for the comment's size; every one is in the ledger, and a step with from-pull-request acts on them all.</p>`,
    );
  }
  return parts.join('\n');
}
