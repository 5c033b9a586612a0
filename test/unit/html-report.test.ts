// The report as people read it, in-process: the verdict, the table's shape and numbers, the fold,
// and the size limit.
import { describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/common/batch.ts';
import type { ReportView } from '../../src/report/html-report.ts';
import { renderReport, SUMMARY_SIZE_BUDGET } from '../../src/report/html-report.ts';
import type { Verdict } from '../../src/report/wording.ts';

function result(index: number, charged = 42): BatchResult {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  return {
    id,
    outcome: 'cancel-requested',
    status: {
      id,
      status: 'Cancelling',
      counts: { total: 3, success: 1, cancelled: 0, failed: 0, totalCharacterCharged: charged },
    },
    requestId: '11111111-2222-4333-8444-555555555555',
  };
}

const PASS: Verdict = { action: 'pass', message: 'ok' };

function view(results: BatchResult[], more: Partial<ReportView> = {}): ReportView {
  return {
    title: 'Cancel Document Translation',
    results,
    verdicts: results.map(() => PASS),
    notes: [],
    waited: false,
    ...more,
  };
}

describe('the report', () => {
  it('opens with a verdict: an icon, the count and the money, with thousands separators', () => {
    const html = renderReport(view([result(1, 1000), result(2, 234)]));

    expect(html.split('\n')[1]).toBe(
      '<p><b>✅ Cancel requested for 2 batches — 1,234 characters charged so far</b></p>',
    );
  });

  it('has at most six columns, numbers right-aligned, a total row for several batches, and — for a blank', () => {
    // Recorded without a credential: no status read, so no counts.
    const unknown: BatchResult = { id: result(3).id, outcome: 'tracked' };
    const html = renderReport(view([result(1, 123_456), unknown]));

    expect(html.match(/<th[ >]/g)).toHaveLength(5);
    expect(html).toContain('<td align="right">123,456</td>');
    expect(html).toContain('<td align="right">—</td>');
    expect(html).toContain('<tr><td><b>Total</b></td><td>2 batches</td><td align="right"><b>3</b></td>');
  });

  it('folds a table of more than ten rows, keeping the verdict and the totals in view', () => {
    const html = renderReport(view(Array.from({ length: 11 }, (_, index) => result(index))));

    const [before = '', folded = ''] = html.split('<details>');
    expect(before).toContain('<b>Total</b>');
    expect(before).toContain('Cancel requested for 11 batches');
    expect(folded).toMatch(/^<summary>All 11 batches<\/summary><table>/);
  });

  it('leads each warning with its cause in bold and what to do, the service words below', () => {
    const failed: Verdict = {
      action: 'fail',
      message: 'long',
      cause: 'Wrong key or endpoint (HTTP 401)',
      advice: 'Check that subscription-key is a key of the resource.',
      details: 'Unauthorized: Access denied; request id r-1',
    };
    const one: BatchResult = {
      ...result(1),
      outcome: 'error',
      error: { code: 'Unauthorized', message: 'Access denied', httpStatus: 401 },
    };

    const html = renderReport({ ...view([one]), verdicts: [failed] });

    expect(html).toContain('<b>❌ 1 of 1 batch not cancelled: Wrong key or endpoint (HTTP 401)</b>');
    expect(html).toContain(
      '<p>❌ <b>Wrong key or endpoint (HTTP 401)</b> (batch <code>00000000-0000-4000-8000-000000000001</code>) — Check that subscription-key is a key of the resource.<br><sub>Unauthorized: Access denied; request id r-1</sub></p>',
    );
    expect(html).not.toContain('error-policy');
  });

  it("names each batch beside the service's words when batches share a cause, also when only some have words", () => {
    const timedOut: Verdict = {
      action: 'warn',
      message: 'long',
      cause: 'Still Cancelling when the time ran out',
      advice: 'A longer timeout waits for them.',
    };
    const [first, second] = [result(1), result(2)];

    const html = renderReport({
      ...view([first, second]),
      verdicts: [timedOut, { ...timedOut, details: 'request id r-2' }],
    });

    expect(html).toContain(
      '<details><summary>what the service said</summary><sub>00000000-0000-4000-8000-000000000002: request id r-2</sub></details>',
    );
  });

  it('says that a batch still Cancelling may finish documents and be charged, unless it was waited for', () => {
    expect(renderReport(view([result(1)]))).toContain('may still finish and be charged');
    expect(renderReport(view([result(1)], { waited: true }))).not.toContain('may still finish');
  });

  it('stays under the job summary size limit with 20,000 batches, saying how many rows it left out', () => {
    const results = Array.from({ length: 20_000 }, (_, index) => result(index));

    const html = renderReport(view(results, { notes: [{ level: 'fail', message: 'x'.repeat(5000) }] }));

    expect(html.length).toBeLessThan(1024 * 1024);
    expect(html.length).toBeGreaterThan(SUMMARY_SIZE_BUDGET * 0.9);
    expect(html).toMatch(/<p>[\d,]+ batches more are left out here to stay under the size limit/);
    expect(html).toContain('<p>❌ xxx');
  });
});
