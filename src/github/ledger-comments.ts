// How the pull request's ledger is spread over the action's comments, each within GitHub's limit of
// 65,536 characters: the first holds what people read (the report and the ledger's table) and as many
// batches as fit beside it; further comments hold the rest, about 1,270 each. A batch stays in the
// comment that holds it, so that a run reading the comments while another writes them finds every
// batch; it moves only into an older comment with room, and a later comment left empty is deleted.
// Nothing here talks to GitHub.
import { batchesWithin, type LedgerEntry, ledgerMarker, readLedger } from './ledger.ts';

/** Every comment of the action's carries it; only those written by github-token's user count. */
export const MARKER = '<!-- cancel-document-translation -->';
/** GitHub refuses a comment body longer than this (422 "body is too long"). */
export const COMMENT_LIMIT = 65_536;
// Each body stays this far below the limit: GitHub counts characters in ways a client cannot check.
const MAX_BODY = COMMENT_LIMIT - 1_536;
/** What people read on the first comment, the report and the ledger's table together, at most. */
export const VIEW_BUDGET = 28_000;
// The record's header (its tables of services, statuses and outcomes), the markers and a part's note.
const OVERHEAD = 1_500;

/** How many batches the first comment holds, beside what people read. */
export const FIRST_COMMENT_BATCHES = batchesWithin(MAX_BODY - VIEW_BUDGET - OVERHEAD);
/** How many batches each further comment holds. */
export const MORE_COMMENT_BATCHES = batchesWithin(MAX_BODY - OVERHEAD);

export interface OurComment {
  id: number;
  body: string;
  /** Where people find it, for a warning about it. */
  url: string;
  /** Its hidden record, read once; undefined when it has none. */
  ledger: { entries: LedgerEntry[]; unreadable: number } | undefined;
}

/** One of the action's comments, with its record read. */
export function ourComment(id: number, body: string, url: string): OurComment {
  return { id, body, url, ledger: readLedger(body) };
}

export interface CommentPlan {
  /** The comment people read, when it exists already. */
  mainId: number | undefined;
  /** How many comments hold the ledger once the plan is carried out. */
  comments: number;
  /** New bodies for existing comments, oldest first: a batch that moves is written before it is removed. */
  updates: Array<{ id: number; body: string }>;
  /** Bodies of new comments, in order. */
  creates: string[];
  /** Comments left holding nothing, removed last. */
  deletes: number[];
}

/** Comments whose record cannot be read: left as they are, as rewriting them would lose their batches for good. */
export function isUnreadable(comment: OurComment): boolean {
  const { ledger } = comment;
  return ledger !== undefined && ledger.entries.length === 0 && ledger.unreadable > 0;
}

function partNote(index: number): string {
  return `<p><sub>Part ${index + 1} of the ledger of the translations this pull request started, kept by cancel-document-translation; its first comment shows them. Please leave it as it is.</sub></p>`;
}

function bodyOf(index: number, entries: readonly LedgerEntry[], view: string): string {
  const record = entries.length > 0 ? `\n${ledgerMarker(entries)}` : '';
  const body = `${MARKER}${record}\n${index === 0 ? view : partNote(index)}`;
  if (body.length > MAX_BODY) {
    throw new Error(
      `a ledger comment came to ${body.length} characters, more than GitHub's ${COMMENT_LIMIT}`,
    );
  }
  return body;
}

/**
 * The writes that leave `ledger` (every batch, latest first-recorded order) in `ours` (the action's
 * comments, oldest first) with `view` on the first readable one.
 */
export function planComments(
  ours: readonly OurComment[],
  ledger: readonly LedgerEntry[],
  view: string,
): CommentPlan {
  if (view.length > VIEW_BUDGET) {
    throw new Error(`the comment's report came to ${view.length} characters, more than its ${VIEW_BUDGET}`);
  }
  const readable = ours.filter((comment) => !isUnreadable(comment));
  const slots = readable.length > 0 ? readable.length : 1;
  const room = (slot: number) => (slot === 0 ? FIRST_COMMENT_BATCHES : MORE_COMMENT_BATCHES);

  const home = new Map<string, number>();
  readable.forEach((comment, slot) => {
    for (const entry of comment.ledger?.entries ?? []) if (!home.has(entry.id)) home.set(entry.id, slot);
  });
  const held: LedgerEntry[][] = Array.from({ length: slots }, () => []);
  const homeless: LedgerEntry[] = [];
  for (const entry of ledger) {
    const slot = home.get(entry.id);
    const into = slot === undefined ? undefined : held[slot];
    if (into && slot !== undefined && into.length < room(slot)) into.push(entry);
    else homeless.push(entry);
  }
  // Room in a comment is filled with new batches first, then with batches of the comments after it.
  for (let slot = 0; slot < slots; slot++) {
    const into = held[slot] ?? [];
    for (let from = slot + 1; into.length < room(slot) && (homeless.length > 0 || from < slots); ) {
      const source = homeless.length > 0 ? homeless : (held[from] ?? []);
      const moved = source.splice(0, room(slot) - into.length);
      into.push(...moved);
      if (source !== homeless) from++;
    }
  }
  while (homeless.length > 0) held.push(homeless.splice(0, room(held.length)));

  const plan: CommentPlan = { mainId: readable[0]?.id, comments: 0, updates: [], creates: [], deletes: [] };
  held.forEach((entries, slot) => {
    const comment = readable[slot];
    if (comment && slot > 0 && entries.length === 0) {
      plan.deletes.push(comment.id);
      return;
    }
    const body = bodyOf(slot, entries, view);
    plan.comments++;
    if (!comment) plan.creates.push(body);
    else if (comment.body !== body) plan.updates.push({ id: comment.id, body });
  });
  return plan;
}
