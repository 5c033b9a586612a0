// The ledger as people read it on the pull request, in-process: one row a run with its commit and
// its batches by status, folded; the runs that may still be running first; service text inert; and
// a fold's title that never claims more than it lists.
import { describe, expect, it } from 'vitest';
import { renderLedger } from '../../src/report/ledger-view.ts';

const RUNS = 'https://github.test/o/r/actions/runs/';
const run = (number: number) => `${RUNS}${number}`;
const id = (index: number) => `0b4e8a1c-96b3-4d8f-a1f2-${String(index).padStart(12, '0')}`;

function entries(count: number, runNumber: number, status: string, from = 0) {
  return Array.from({ length: count }, (_, index) => ({
    id: id(from + index),
    run: run(runNumber),
    commit: `abc${runNumber}`.padEnd(7, '0').slice(0, 7),
    status,
    outcome: 'tracked',
  }));
}

describe('the ledger as people read it', () => {
  it('has one row a run, with its link, its commit and its batches by status, the running runs first', () => {
    const ledger = [
      ...entries(2, 1, 'Succeeded'),
      ...entries(3, 2, 'NotStarted', 2),
      ...entries(1, 3, 'Cancelled', 5),
    ];

    const html = renderLedger(ledger, Number.POSITIVE_INFINITY, RUNS);

    expect(html).toContain('<p>6 batches: 2 Succeeded, 3 NotStarted, 1 Cancelled.</p>');
    const rows = html.split('<tr>').slice(2);
    expect(rows.map((row) => /runs\/(\d+)/.exec(row)?.[1])).toEqual(['2', '3', '1']);
    expect(rows[0]).toContain(
      '<a href="https://github.test/o/r/actions/runs/2">run 2</a></td><td><code>abc2000</code>',
    );
    expect(rows[0]).toContain('<summary>3 batches: 3 NotStarted</summary>');
    expect(rows[0]).toContain(`<code>${id(2)}</code> NotStarted → tracked`);
  });

  it("links only this repository's runs: a planted record's run is its number, as text", () => {
    const html = renderLedger([{ id: id(1), run: 'https://evil.example/o/r/actions/runs/7' }], 10_000, RUNS);

    expect(html).not.toContain('evil.example');
    expect(html).toContain('<tr><td>run 7</td>');
  });

  it('makes service text inert', () => {
    expect(renderLedger([{ id: id(1), run: run(77), status: '# <b>x</b>' }])).toContain(
      '&#35; &lt;b&gt;x&lt;/b&gt;',
    );
  });

  it('says how many a fold lists when the size leaves some out, and counts what is not listed', () => {
    const ledger = entries(300, 9, 'NotStarted');

    const html = renderLedger(ledger, 4_000);

    const listed = (html.match(/<code>0b4e8a1c/g) ?? []).length;
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(300);
    expect(html).toContain(`<summary>300 batches: 300 NotStarted; ${listed} listed here</summary>`);
    expect(html).toContain(`<p>${300 - listed} batches more not listed, for the comment's size;`);
    expect(html.length).toBeLessThanOrEqual(4_000);
  });
});
