// What people see: the job summary and the comment rendered the way GitHub renders them (Markdown
// with HTML), kept as reviewed snapshots under test/project/rendered/, so that a change in what
// people read shows up in review. `npx vitest run -u test/project/rendered.test.ts` rewrites them.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/common/batch.ts';
import type { LedgerEntry } from '../../src/github/ledger.ts';
import type { ReportView } from '../../src/report/html-report.ts';
import { renderReport } from '../../src/report/html-report.ts';
import { renderLedger } from '../../src/report/ledger-view.ts';
import type { Verdict } from '../../src/report/wording.ts';

const markdown = new MarkdownIt({ html: true });
const PASS: Verdict = { action: 'pass', message: '' };

function batch(
  index: number,
  status: string,
  outcome: 'cancel-requested' | 'already-cancelled' | 'already-finished',
  charged: number,
): BatchResult {
  const id = `5d710d3c-7a2d-435a-9488-${String(index).padStart(12, '0')}`;
  const result = {
    id,
    status: {
      id,
      status,
      counts: {
        total: 4,
        success: 1,
        cancelled: status === 'Cancelled' ? 3 : 0,
        totalCharacterCharged: charged,
      },
    },
    requestId: `7d29208e-785f-4e29-8bba-${String(index).padStart(12, '0')}`,
  };
  return outcome === 'already-finished' ? { ...result, outcome } : { ...result, outcome };
}

function view(results: BatchResult[], verdicts: Verdict[] = results.map(() => PASS)): ReportView {
  return { title: 'Cancel Document Translation', results, verdicts, notes: [], waited: false };
}

const finishedVerdict: Verdict = {
  action: 'warn',
  message: '',
  cause: 'Already Succeeded: nothing cancelled',
  advice:
    'It had finished before the step ran; it was charged for 123,456 characters (4 of 4 documents translated).',
  details: 'request id 7d29208e-785f-4e29-8bba-000000000002',
};
const notFound: Verdict = {
  action: 'fail',
  message: '',
  cause: 'Not found (HTTP 404)',
  advice:
    'Check the job id, and that https://my-translator.cognitiveservices.azure.com is the resource that started the batch.',
  details: 'ResourceNotFound: id not found; request id 7d29208e-785f-4e29-8bba-000000000003',
};

const ledger: LedgerEntry[] = [1, 2].map((index) => ({
  id: `5d710d3c-7a2d-435a-9488-${String(index).padStart(12, '0')}`,
  serviceBase: 'https://my-translator.cognitiveservices.azure.com',
  run: `https://github.com/octo/app/actions/runs/${4240 + index}`,
  recordedAt: '2026-11-30T02:00:00.000Z',
  status: 'Cancelling',
  outcome: 'cancel-requested',
  updatedAt: '2026-11-30T03:00:00.000Z',
}));

// A busy pull request: ten pushes, each a run that started 30 batches, and an older run's 4.
const busyLedger = (status: string, outcome: string): LedgerEntry[] =>
  Array.from({ length: 304 }, (_, index) => {
    const run = index < 4 ? 4200 : 4201 + Math.floor((index - 4) / 30);
    return {
      id: `5d710d3c-7a2d-435a-9488-${String(index).padStart(12, '0')}`,
      serviceBase: 'https://my-translator.cognitiveservices.azure.com',
      run: `https://github.com/octo/app/actions/runs/${run}`,
      commit: `c0ffe${String(run % 100).padStart(2, '0')}`,
      recordedAt: '2026-11-30T02:00:00.000Z',
      ...(index < 4 ? { status: 'Succeeded', outcome: 'tracked' } : { status, outcome }),
      updatedAt: '2026-11-30T03:00:00.000Z',
    };
  });
const RUNS = 'https://github.com/octo/app/actions/runs/';
const COMMENT_FOOTER =
  '<p><sub>Updated by <a href="https://github.com/octo/app/actions/runs/4243">run 4243</a> at commit <code>c0ffee0</code> on 2026-11-30 03:00 UTC.</sub></p>';

const scenarios: Array<[string, () => string]> = [
  ['one-cancel', () => renderReport(view([batch(1, 'Cancelling', 'cancel-requested', 1234)]))],
  [
    'already-finished',
    () => renderReport(view([batch(2, 'Succeeded', 'already-finished', 123_456)], [finishedVerdict])),
  ],
  [
    'three-mixed',
    () =>
      renderReport(
        view(
          [
            batch(1, 'Cancelling', 'cancel-requested', 1234),
            batch(2, 'Succeeded', 'already-finished', 123_456),
            {
              id: '5d710d3c-7a2d-435a-9488-000000000003',
              outcome: 'error',
              error: { code: 'ResourceNotFound', message: 'id not found', httpStatus: 404 },
            },
          ],
          [PASS, finishedVerdict, notFound],
        ),
      ),
  ],
  [
    'stale-cleanup',
    () =>
      renderReport({
        ...view(
          Array.from({ length: 30 }, (_, index) => batch(index + 10, 'Cancelling', 'cancel-requested', 500)),
        ),
        search: { staleAfter: '1h', createdBefore: '2026-11-30T02:00:00.000Z', found: 30, leftOver: 0 },
      }),
  ],
  [
    'busy-pull-request',
    () =>
      [
        renderReport({ ...view([]), results: [], footer: COMMENT_FOOTER }, 16_000),
        renderLedger(busyLedger('NotStarted', 'tracked'), 11_000, RUNS),
      ].join('\n'),
  ],
  [
    'busy-pull-request-closed',
    () =>
      [
        renderReport(
          {
            ...view(
              Array.from({ length: 300 }, (_, index) =>
                batch(index + 4, 'Cancelling', 'cancel-requested', 0),
              ),
            ),
            footer: COMMENT_FOOTER,
          },
          16_000,
        ),
        renderLedger(busyLedger('Cancelling', 'cancel-requested'), 11_000, RUNS),
      ].join('\n'),
  ],
  [
    'comment',
    () =>
      [
        renderReport({
          ...view([
            batch(1, 'Cancelling', 'cancel-requested', 1234),
            batch(2, 'Cancelling', 'cancel-requested', 0),
          ]),
          footer:
            '<p><sub>Updated by <a href="https://github.com/octo/app/actions/runs/4243">run 4243</a> at commit <code>c0ffee0</code> on 2026-11-30 03:00 UTC.</sub></p>',
        }),
        renderLedger(ledger, Number.POSITIVE_INFINITY, RUNS),
      ].join('\n'),
  ],
];

describe('the job summary and the comment, rendered as GitHub renders them', () => {
  it.each(scenarios)('%s matches its reviewed snapshot', async (name, render) => {
    await expect(markdown.render(render())).toMatchFileSnapshot(`./rendered/${name}.html`);
  });
});
