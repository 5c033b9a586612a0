import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/cancel-job.ts';
import { renderReport, SUMMARY_SIZE_BUDGET } from '../../src/summary.ts';

function result(index: number): JobResult {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    id,
    outcome: 'cancel-requested',
    status: {
      id,
      status: 'Cancelling',
      summary: { total: 3, success: 1, cancelled: 0, failed: 0, totalCharacterCharged: 42 },
    },
    requestId: '11111111-2222-4333-8444-555555555555',
  };
}

describe('the report', () => {
  it('stays under the job summary size limit with 20,000 batches, saying how many rows it left out', () => {
    const results = Array.from({ length: 20_000 }, (_, index) => result(index));

    const html = renderReport('Cancel Document Translation', results, [
      { level: 'failure', message: 'x'.repeat(5000) },
    ]);

    expect(html.length).toBeLessThan(1024 * 1024);
    expect(html.length).toBeGreaterThan(SUMMARY_SIZE_BUDGET * 0.9);
    expect(html).toMatch(/<p>\d+ more batches are left out here to stay under the size limit/);
    expect(html).toContain('<li>❌ ');
  });

  it('has every row when they fit', () => {
    const html = renderReport('t', [result(1), result(2)], []);

    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html).not.toContain('left out');
  });
});
