// The job summary: a table with one row per batch, then the warnings and failures. Built as HTML
// (the summary is Markdown with HTML), every cell escaped, and kept under the runner's size limit.
import type { JobResult } from './cancel-job.ts';

/** A warning or failure the step reported, as it reported it. */
export interface Note {
  level: 'warning' | 'failure';
  message: string;
}

// The runner refuses a step summary over 1 MiB; the rows stop well before that.
export const SUMMARY_SIZE_BUDGET = 900_000;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char] ?? char);
}

function cell(value: string | number | undefined): string {
  return `<td>${escapeHtml(value === undefined ? '' : String(value))}</td>`;
}

function row(result: JobResult): string {
  const summary = result.status?.summary;
  return `<tr>${[
    cell(result.id),
    cell(result.status?.status),
    cell(result.outcome),
    cell(summary?.total),
    cell(summary?.success),
    cell(summary?.cancelled),
    cell(summary?.failed),
    cell(summary?.totalCharacterCharged),
    cell(result.requestId),
  ].join('')}</tr>`;
}

const HEADER =
  '<tr><th>batch</th><th>status</th><th>outcome</th><th>documents</th><th>translated</th><th>cancelled</th><th>failed</th><th>characters charged</th><th>request id</th></tr>';

/** The report as HTML, at most about `sizeBudget` characters. */
export function renderReport(
  title: string,
  results: readonly JobResult[],
  notes: readonly Note[],
  sizeBudget = SUMMARY_SIZE_BUDGET,
): string {
  const parts = [`<h2>${escapeHtml(title)}</h2>`];
  let size = parts[0]?.length ?? 0;
  const noteLines = notes.map(
    (note) => `<li>${note.level === 'failure' ? '❌' : '⚠️'} ${escapeHtml(note.message.slice(0, 2000))}</li>`,
  );
  const notesHtml = noteLines.length > 0 ? `<ul>${noteLines.join('')}</ul>` : '';
  size += notesHtml.length;
  if (results.length > 0) {
    const rows: string[] = [];
    for (const result of results) {
      const next = row(result);
      if (size + next.length > sizeBudget) break;
      rows.push(next);
      size += next.length;
    }
    parts.push(`<table>${HEADER}${rows.join('')}</table>`);
    if (rows.length < results.length) {
      parts.push(
        `<p>${results.length - rows.length} more batches are left out here to stay under the size limit; the step's results output has them all.</p>`,
      );
    }
  }
  parts.push(notesHtml);
  return parts.join('\n');
}
