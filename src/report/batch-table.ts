// The table of batches the report shows, in the job summary and the pull request comment: a row a
// batch (its id, status and outcome, documents, cancelled, characters and images charged), numbers
// right-aligned, and a row of totals.
import { type BatchResult, totalOf } from '../common/batch.ts';
import { inertText } from '../common/html.ts';
import { batches, grouped } from '../common/numbers.ts';

const OUTCOME_WORDS: Record<BatchResult['outcome'], string> = {
  'cancel-requested': 'cancel requested',
  'already-cancelled': 'already cancelled',
  'already-finished': 'already finished, nothing cancelled',
  'would-cancel': 'would be cancelled',
  'left-alone': 'left alone',
  tracked: 'recorded',
  error: 'not cancelled',
};

function numberCell(value: number | undefined, bold = false): string {
  const text = value === undefined ? '—' : grouped(value);
  return `<td align="right">${bold ? `<b>${text}</b>` : text}</td>`;
}

function statusCell(result: BatchResult): string {
  const status = result.status?.status;
  return `<td>${status ? `${inertText(status)} → ` : ''}${OUTCOME_WORDS[result.outcome]}</td>`;
}

export interface Columns {
  images: boolean;
}

export function row(result: BatchResult, columns: Columns): string {
  const counts = result.status?.counts;
  const cells = [
    `<td><code>${inertText(result.id)}</code></td>`,
    statusCell(result),
    numberCell(counts?.total),
    numberCell(counts?.cancelled),
    numberCell(counts?.totalCharacterCharged),
    ...(columns.images ? [numberCell(counts?.totalImageCharged)] : []),
  ];
  return `<tr>${cells.join('')}</tr>`;
}

export function header(columns: Columns): string {
  const numbers = [
    'documents',
    'cancelled',
    'characters charged',
    ...(columns.images ? ['images charged'] : []),
  ];
  return `<tr><th>batch</th><th>status → outcome</th>${numbers.map((name) => `<th align="right">${name}</th>`).join('')}</tr>`;
}

export function totalRow(results: readonly BatchResult[], columns: Columns): string {
  const cells = [
    '<td><b>Total</b></td>',
    `<td>${batches(results.length)}</td>`,
    numberCell(totalOf(results, 'total'), true),
    numberCell(totalOf(results, 'cancelled'), true),
    numberCell(totalOf(results, 'totalCharacterCharged'), true),
    ...(columns.images ? [numberCell(totalOf(results, 'totalImageCharged'), true)] : []),
  ];
  return `<tr>${cells.join('')}</tr>`;
}
