// The job summary at any size, end to end through the bundle: GitHub drops a step's whole summary
// over 1 MiB of UTF-8, so the report is budgeted in bytes, whatever the service's text holds.
import { describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/run-action.ts';
import { useEmulator } from '../support/emulator-fixture.ts';

const emulator = useEmulator({ cancelDelayMs: 60_000 });

describe('the job summary of 10,000 batches', () => {
  it('stays within 1,000 KiB of UTF-8 when every answer holds non-ASCII text', async () => {
    const created = new Date(Date.now() - 3 * 3_600_000).toISOString();
    for (let index = 0; index < 10_000; index++)
      emulator.addBatch({ status: 'Running', createdDateTimeUtc: created });
    // Every cancel answered with a status new to the action, all in a three-byte script, as long as
    // the action keeps one.
    const status = '取消中'.repeat(40);
    emulator.addFault({
      method: 'DELETE',
      status: 200,
      times: 10_000,
      body: JSON.stringify({ id: '9dce0aa9-78dc-41ba-8cae-2e2f3c2ff8ec', status, summary: { total: 1 } }),
    });

    const run = await runAction({
      endpoint: emulator.url,
      'subscription-key': emulator.subscriptionKey,
      'stale-after': '1h',
      'max-jobs': '10000',
      'max-retries': '0',
    });

    expect(run.outputs['error-code']).toBe('UnexpectedStatus');
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1_000 * 1_024);
    expect(run.summary).toContain('取消中');
    expect(run.summary).toMatch(/<summary>The first [\d,]+ of the 10,000 batches<\/summary>/);
    expect(run.summary).toMatch(/[\d,]+ batches more are left out here/);
  }, 30_000);
});
