// The job summary: a table with one row per batch, then the warnings and failures. Built as HTML
// (the summary is Markdown with HTML), every cell escaped, and kept under the runner's size limit.
import type { JobResult } from './cancel-job.ts';
import { inertText } from './html.ts';

/** A warning or failure the step reported, as it reported it. */
export interface Note {
  level: 'warning' | 'failure';
  message: string;
}

// The runner refuses a step summary over 1 MiB; the rows stop well before that.
export const SUMMARY_SIZE_BUDGET = 900_000;

function cell(value: string | number | undefined): string {
  return `<td>${inertText(value === undefined ? '' : String(value))}</td>`;
}

interface Column {
  header: string;
  value: (result: JobResult) => string | number | undefined;
}

const COLUMNS: readonly Column[] = [
  { header: 'batch', value: (result) => result.id },
  { header: 'status', value: (result) => result.status?.status },
  { header: 'outcome', value: (result) => result.outcome },
  { header: 'documents', value: (result) => result.status?.summary?.total },
  { header: 'translated', value: (result) => result.status?.summary?.success },
  { header: 'cancelled', value: (result) => result.status?.summary?.cancelled },
  { header: 'failed', value: (result) => result.status?.summary?.failed },
  { header: 'characters charged', value: (result) => result.status?.summary?.totalCharacterCharged },
  { header: 'request id', value: (result) => result.requestId },
];

// Newer api-versions also say how many images were charged; the column shows only when one did.
const IMAGES_COLUMN: Column = {
  header: 'images charged',
  value: (result) => result.status?.summary?.totalImageCharged,
};

function columnsFor(results: readonly JobResult[]): readonly Column[] {
  if (!results.some((result) => IMAGES_COLUMN.value(result) !== undefined)) return COLUMNS;
  const charged = COLUMNS.findIndex((column) => column.header === 'characters charged') + 1;
  return [...COLUMNS.slice(0, charged), IMAGES_COLUMN, ...COLUMNS.slice(charged)];
}

function row(result: JobResult, columns: readonly Column[]): string {
  return `<tr>${columns.map((column) => cell(column.value(result))).join('')}</tr>`;
}

function header(columns: readonly Column[]): string {
  return `<tr>${columns.map((column) => `<th>${inertText(column.header)}</th>`).join('')}</tr>`;
}

/** The report as HTML, at most about `sizeBudget` characters. */
export function renderReport(
  title: string,
  results: readonly JobResult[],
  notes: readonly Note[],
  sizeBudget = SUMMARY_SIZE_BUDGET,
): string {
  const parts = [`<h2>${inertText(title)}</h2>`];
  let size = parts[0]?.length ?? 0;
  const noteLines = notes.map(
    (note) => `<li>${note.level === 'failure' ? '❌' : '⚠️'} ${inertText(note.message.slice(0, 2000))}</li>`,
  );
  const notesHtml = noteLines.length > 0 ? `<ul>${noteLines.join('')}</ul>` : '';
  size += notesHtml.length;
  if (results.length > 0) {
    const columns = columnsFor(results);
    const rows: string[] = [];
    for (const result of results) {
      const next = row(result, columns);
      if (size + next.length > sizeBudget) break;
      rows.push(next);
      size += next.length;
    }
    parts.push(`<table>${header(columns)}${rows.join('')}</table>`);
    if (rows.length < results.length) {
      parts.push(
        `<p>${results.length - rows.length} more batches are left out here to stay under the size limit; the step's results output has them all.</p>`,
      );
    }
  }
  parts.push(notesHtml);
  return parts.join('\n');
}
