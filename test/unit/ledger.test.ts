// The ledger's record, in-process: what survives a round trip through the comment, and how two
// runs' records merge.
import { describe, expect, it } from 'vitest';
import {
  batchesWithin,
  holdsAll,
  type LedgerEntry,
  ledgerMarker,
  mergeLedgers,
  readLedger,
  recordLength,
} from '../../src/github/ledger.ts';

const HOST = 'https://my.cognitiveservices.azure.com';

function entry(id: string, updatedAt: string, more: Partial<LedgerEntry> = {}): LedgerEntry {
  return { id, serviceBase: HOST, recordedAt: updatedAt, updatedAt, ...more };
}

const A = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c11';
const B = '0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c12';

/** A record as version 1 wrote it (before 2026-12), which comments on open pull requests still hold. */
function v1Marker(entries: readonly LedgerEntry[]): string {
  // Version 1 named the service root `host`.
  const written = entries.map(({ serviceBase, ...rest }) => ({ ...rest, host: serviceBase }));
  const data = Buffer.from(JSON.stringify({ version: 1, entries: written })).toString('base64');
  return `<!-- cancel-document-translation:ledger ${data} -->`;
}

describe('the ledger marker', () => {
  it('reads back what it wrote, inside any comment', () => {
    const entries = [
      entry(A, '2026-01-01T00:00:00.000Z', {
        status: 'Running',
        run: 'https://github.test/o/r/actions/runs/1',
      }),
    ];

    expect(readLedger(`before\n${ledgerMarker(entries)}\nafter`)).toEqual({ entries, unreadable: 0 });
  });

  it("keeps each run's commit once, for every batch of that run", () => {
    const run = 'https://github.test/o/r/actions/runs/8';
    const entries = [A, B].map((id) => entry(id, '2026-01-01T00:00:00.000Z', { run, commit: 'c0ffee1' }));

    expect(readLedger(ledgerMarker(entries))?.entries.map((read) => read.commit)).toEqual([
      'c0ffee1',
      'c0ffee1',
    ]);
  });

  it('is absent from a comment without one', () => {
    expect(readLedger('<!-- cancel-document-translation -->')).toBeUndefined();
  });

  it('keeps every field, a status new to the action and an entry with none of the optional ones', () => {
    const entries = [
      entry(A, '2026-01-01T00:00:00.000Z', {
        status: 'Paused',
        outcome: 'tracked',
        run: 'https://github.test/o/r/actions/runs/19876543210',
        recordedAt: '2025-12-31T23:59:59.123Z',
      }),
      entry(B, '2026-01-02T00:00:00.000Z', { serviceBase: 'https://other.cognitiveservices.azure.us' }),
    ];

    expect(readLedger(ledgerMarker(entries))).toEqual({ entries, unreadable: 0 });
  });

  it('takes 60 characters a batch with its seal, besides its markers and a header of about 300', () => {
    const entries = Array.from({ length: 1_000 }, (_, index) =>
      entry(`0b4e8a1c-96b3-4d8f-a1f2-${String(index).padStart(12, '0')}`, '2026-01-01T00:00:00.000Z', {
        status: 'Running',
        outcome: 'tracked',
        run: `https://github.com/octo/app/actions/runs/${19_000_000_000 + Math.floor(index / 5)}`,
        seal: '0123456789abcdef',
      }),
    );

    const marker = ledgerMarker(entries);

    expect(recordLength(1_000)).toBe(60_004);
    expect(marker.length - recordLength(1_000)).toBeLessThan(400);
    expect(readLedger(marker)?.entries).toHaveLength(1_000);
  });

  it('says how many batches fit in a number of characters: the most whose record is no longer', () => {
    for (const characters of [0, 48, 49, 50, 36_000, 62_500]) {
      const count = batchesWithin(characters);
      expect(recordLength(count)).toBeLessThanOrEqual(characters);
      expect(recordLength(count + 1)).toBeGreaterThan(characters);
    }
  });

  it('is unreadable, as a whole, once a character of it is changed or it is cut short', () => {
    const marker = ledgerMarker([entry(A, '2026-01-01T00:00:00.000Z'), entry(B, '2026-01-01T00:00:00.000Z')]);
    const dot = marker.indexOf('.');
    const edited = `${marker.slice(0, dot + 5)}${marker[dot + 5] === 'A' ? 'B' : 'A'}${marker.slice(dot + 6)}`;
    const cut = `${marker.slice(0, dot + 30)} -->`;

    expect(readLedger(edited)).toEqual({ entries: [], unreadable: 1 });
    expect(readLedger(cut)).toEqual({ entries: [], unreadable: 1 });
  });

  it('reads version 1 records, dropping and counting entries that are not batches on a URL', () => {
    const planted = [
      entry(A, '2026-01-01T00:00:00Z'),
      { ...entry(B, '2026-01-01T00:00:00Z'), id: '../x' },
      { ...entry(B, 'x'), serviceBase: 'nope' },
    ];

    expect(readLedger(v1Marker(planted))).toEqual({ entries: [planted[0]], unreadable: 2 });
  });

  it('counts a marker that is not a ledger as unreadable', () => {
    expect(readLedger('<!-- cancel-document-translation:ledger bm9wZQ== -->')).toEqual({
      entries: [],
      unreadable: 1,
    });
  });
});

describe('merging two records', () => {
  it('keeps each batch once, with its latest status and its first recording', () => {
    const first = [entry(A, '2026-01-01T00:00:00Z', { run: 'https://r/1', status: 'NotStarted' })];
    const later = [
      entry(A, '2026-01-02T00:00:00Z', {
        run: 'https://r/2',
        status: 'Cancelling',
        recordedAt: '2026-01-02T00:00:00Z',
      }),
      entry(B, '2026-01-01T12:00:00Z'),
    ];

    const merged = mergeLedgers(later, first);

    expect(merged.map((e) => [e.id, e.status, e.run, e.recordedAt])).toEqual([
      [A, 'Cancelling', 'https://r/1', '2026-01-01T00:00:00Z'],
      [B, undefined, undefined, '2026-01-01T12:00:00Z'],
    ]);
    expect(holdsAll(merged, later)).toBe(true);
    expect(holdsAll(first, later)).toBe(false);
  });

  it('lists the batches in the order they were first recorded', () => {
    const merged = mergeLedgers(
      [entry(B, '2026-03-01T00:00:00Z')],
      [
        entry(A, '2026-01-01T00:00:00Z'),
        entry(B, '2026-02-01T00:00:00Z', { recordedAt: '2026-02-01T00:00:00Z' }),
      ],
      [entry('0b4e8a1c-96b3-4d8f-a1f2-bb5f0a8e2c13', '2025-12-31T23:59:59Z')],
    );

    expect(merged.map((e) => e.recordedAt)).toEqual([
      '2025-12-31T23:59:59Z',
      '2026-01-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
    ]);
  });
});
