// How the ledger is spread over the action's comments, in-process: each within GitHub's limit, each
// batch kept where it is, moved only into an older comment with room, and a comment a person edited
// left alone.
import { describe, expect, it } from 'vitest';
import { type LedgerEntry, ledgerMarker, MARKER, readLedger, VIEW_BUDGET } from '../../src/github/ledger.ts';
import {
  COMMENT_LIMIT,
  FIRST_COMMENT_BATCHES,
  MORE_COMMENT_BATCHES,
  type OurComment,
  ourComment,
  planComments,
} from '../../src/github/ledger-comments.ts';
import { ledgerEntries } from '../support/ledger-entries.ts';

function comment(id: number, held: readonly LedgerEntry[], view = 'a view'): OurComment {
  return ourComment({
    id,
    body: `${MARKER}\n${ledgerMarker(held)}\n${view}`,
    url: `https://github.test/c/${id}`,
    createdAt: 0,
  });
}

const idsIn = (body: string) => readLedger(body)?.entries.map((entry) => entry.id) ?? [];
const VIEW = `<p>${'x'.repeat(VIEW_BUDGET - 7)}</p>`;

describe('spreading the ledger over comments', () => {
  it('fills the first comment beside a view of the whole budget, then the next ones, each within the limit', () => {
    const ledger = ledgerEntries(5_000);

    const plan = planComments([], ledger, VIEW);

    expect(plan.updates).toEqual([]);
    expect(plan.deletes).toEqual([]);
    const sizes = plan.creates.map((body) => idsIn(body).length);
    expect(sizes[0]).toBe(FIRST_COMMENT_BATCHES);
    expect(sizes.slice(1, -1).every((size) => size === MORE_COMMENT_BATCHES)).toBe(true);
    expect(sizes.reduce((total, size) => total + size, 0)).toBe(5_000);
    expect(plan.creates.every((body) => body.length <= COMMENT_LIMIT - 1_000)).toBe(true);
    expect(plan.creates[0]).toContain(VIEW);
    expect(plan.creates[1]).toContain('Part 2 of the ledger');
  });

  it('keeps each batch in the comment that holds it, rewriting only the comments whose batches changed', () => {
    const first = ledgerEntries(FIRST_COMMENT_BATCHES);
    const second = ledgerEntries(10, FIRST_COMMENT_BATCHES);
    const [changed] = ledgerEntries(1, FIRST_COMMENT_BATCHES, 'Cancelling');
    const ledger = [...first, changed as LedgerEntry, ...second.slice(1)];

    const plan = planComments([comment(1, first, VIEW), comment(2, second, 'part')], ledger, VIEW);

    expect(plan.updates.map((update) => update.id)).toEqual([2]);
    expect(idsIn(plan.updates[0]?.body ?? '')).toEqual(second.map((entry) => entry.id));
    expect(readLedger(plan.updates[0]?.body ?? '')?.entries[0]?.status).toBe('Cancelling');
  });

  it('puts new batches where there is room, without moving the ones already held', () => {
    const first = ledgerEntries(FIRST_COMMENT_BATCHES);
    const second = ledgerEntries(10, FIRST_COMMENT_BATCHES);
    const fresh = ledgerEntries(5, FIRST_COMMENT_BATCHES + 10);

    const plan = planComments(
      [comment(1, first), comment(2, second)],
      [...first, ...second, ...fresh],
      'a view',
    );

    expect(plan.updates.map((update) => update.id)).toEqual([2]);
    expect(idsIn(plan.updates[0]?.body ?? '')).toEqual([...second, ...fresh].map((entry) => entry.id));
    expect(plan.creates).toEqual([]);
  });

  it("moves a later comment's batches into an older one with room, older first, and deletes the emptied one", () => {
    const mine = ledgerEntries(3);
    const theirs = ledgerEntries(2, 3);

    const plan = planComments([comment(1, mine), comment(2, theirs)], [...mine, ...theirs], 'a view');

    expect(plan.updates.map((update) => update.id)).toEqual([1]);
    expect(idsIn(plan.updates[0]?.body ?? '')).toEqual([...mine, ...theirs].map((entry) => entry.id));
    expect(plan.deletes).toEqual([2]);
  });

  it('never writes a comment whose record cannot be read, and shows the view on the first that can', () => {
    const edited = ourComment({
      id: 1,
      body: `${MARKER}\n<!-- cancel-document-translation:ledger:2 e30=.AAAA -->`,
      url: 'u',
      createdAt: 0,
    });
    const held = ledgerEntries(2);

    const plan = planComments([edited, comment(2, held, 'part')], held, 'the view');

    expect(plan.updates.map((update) => update.id)).toEqual([2]);
    expect(plan.updates[0]?.body).toContain('the view');
    expect(plan.deletes).toEqual([]);
    expect(plan.creates).toEqual([]);
  });

  it('refuses a view longer than its budget rather than send GitHub a body it refuses', () => {
    expect(() => planComments([], ledgerEntries(1), `${VIEW}x`)).toThrow(/more than its 28000/);
  });
});
