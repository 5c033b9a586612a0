// Ledger entries for in-process tests of the ledger's comments: `count` running batches on one
// service, recorded a second apart by runs of their own, numbered from `from`.
import type { LedgerEntry } from '../../src/github/ledger.ts';

const HOST = 'https://my.cognitiveservices.azure.com';

export function ledgerEntries(count: number, from = 0, status = 'Running'): LedgerEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const at = new Date(Date.parse('2026-11-01T00:00:00Z') + (from + index) * 1_000).toISOString();
    return {
      id: `0b4e8a1c-96b3-4d8f-a1f2-${String(from + index).padStart(12, '0')}`,
      serviceBase: HOST,
      run: `https://github.com/octo/app/actions/runs/${19_000_000_000 + from + index}`,
      recordedAt: at,
      status,
      outcome: 'tracked',
      updatedAt: at,
    };
  });
}
