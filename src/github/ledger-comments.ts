// How the pull request's ledger is spread over the action's comments, each within GitHub's limit of
// 65,536 characters: the first holds what people read (the report and the ledger's table) and as many
// batches as fit beside it; further comments hold the rest, about 1,270 each. A batch stays in the
// comment that holds it, so that a run reading the comments while another writes them finds every
// batch; it moves only into an older comment with room, and a later comment left empty is deleted.
// Each update reads the comments, merges, writes them (through pr-comment.ts) and reads them back.
import { setTimeout as delay } from 'node:timers/promises';
import type { BatchResult } from '../common/batch.ts';
import { grouped } from '../common/numbers.ts';
import {
  batchesWithin,
  holdsAll,
  type LedgerEntry,
  ledgerMarker,
  MARKER,
  mergeLedgers,
  readLedger,
  VIEW_BUDGET,
} from './ledger.ts';
import { type CommentPlan, CommentThread, type MarkedComment } from './pr-comment.ts';

/** GitHub refuses a comment body longer than this (422 "body is too long"). */
export const COMMENT_LIMIT = 65_536;
// Each body stays this far below the limit: GitHub counts characters in ways a client cannot check.
const MAX_BODY = COMMENT_LIMIT - 1_536;
// The record's header (its tables of services, statuses and outcomes), the markers and a part's note.
const OVERHEAD = 1_500;

/** How many batches the first comment holds, beside what people read. */
export const FIRST_COMMENT_BATCHES = batchesWithin(MAX_BODY - VIEW_BUDGET - OVERHEAD);
/** How many batches each further comment holds. */
export const MORE_COMMENT_BATCHES = batchesWithin(MAX_BODY - OVERHEAD);

export interface OurComment extends MarkedComment {
  /** Its hidden record, read once; undefined when it has none. */
  ledger: { entries: LedgerEntry[]; unreadable: number } | undefined;
}

/** One of the action's comments, with its record read. */
export function ourComment(id: number, body: string, url: string): OurComment {
  return { id, body, url, ledger: readLedger(body) };
}

/** Comments whose record cannot be read: left as they are, as rewriting them would lose their batches for good. */
function isUnreadable(comment: OurComment): boolean {
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

/** A ledger entry as this run knows the batch now. */
export function entryFor(
  result: BatchResult,
  serviceBase: string,
  now: string,
  known?: LedgerEntry,
): LedgerEntry {
  return {
    recordedAt: now,
    ...known,
    id: result.id,
    serviceBase,
    status: result.status?.status ?? known?.status,
    outcome: result.outcome,
    updatedAt: now,
  };
}

/** The ledger's entries for the batches of `results` it holds, with what this run learned of them. */
export function updatedEntries(
  known: readonly LedgerEntry[],
  results: readonly BatchResult[],
): LedgerEntry[] {
  const now = new Date().toISOString();
  const byId = new Map(known.map((entry) => [entry.id, entry]));
  return results.flatMap((result) => {
    const entry = byId.get(result.id);
    return entry ? [entryFor(result, entry.serviceBase, now, entry)] : [];
  });
}

interface PullRequestLedger {
  ledger: LedgerEntry[];
  /** Comments by others that carry the marker: ignored. */
  foreign: number;
  /** Ledger entries that could not be read: ignored. */
  unreadable: number;
  /** The action's comments whose whole record could not be read (edited by hand): left as they are. */
  unreadableComments: string[];
}

function ledgerOf(ours: readonly OurComment[]): Omit<PullRequestLedger, 'foreign'> {
  const read = ours.map((comment) => comment.ledger ?? { entries: [], unreadable: 0 });
  return {
    ledger: mergeLedgers(...read.map((ledger) => ledger.entries)),
    unreadable: read.reduce((total, ledger) => total + ledger.unreadable, 0),
    unreadableComments: ours.filter(isUnreadable).map((comment) => comment.url),
  };
}

/** The action's comments on the pull request, oldest first, with their records read. */
async function readComments(thread: CommentThread): Promise<{ ours: OurComment[]; foreign: number }> {
  const { ours, foreign } = await thread.read();
  return { ours: ours.map(({ id, body, url }) => ourComment(id, body, url)), foreign };
}

/** The pull request's ledger, as this action wrote it. */
export async function readPullRequestLedger(token: string, number: number): Promise<PullRequestLedger> {
  const { ours, foreign } = await readComments(new CommentThread(token, number, MARKER));
  return { ...ledgerOf(ours), foreign };
}

interface CommentUpdate {
  /** The ledger entries to add or change, given the ledger as it is. */
  changes: (ledger: readonly LedgerEntry[]) => LedgerEntry[];
  /** What people read, given the ledger as it will be. */
  render: (ledger: readonly LedgerEntry[]) => string;
}

// GitHub has no compare-and-swap for comments: a write is checked by reading it back, and tried
// again (merged with what others wrote meanwhile) this many times.
const MAX_WRITES = 5;

/**
 * Writes the comment, keeping what others recorded meanwhile: reads, merges, writes, reads back,
 * and tries again until the changes are there. Says what it did, in words for the log.
 */
export async function updatePullRequestComment(
  token: string,
  number: number,
  update: CommentUpdate,
): Promise<string> {
  const thread = new CommentThread(token, number, MARKER);
  for (let attempt = 1; ; attempt++) {
    const started = Date.now();
    const { ours } = await readComments(thread);
    const known = ledgerOf(ours).ledger;
    const changes = update.changes(known);
    const ledger = mergeLedgers(known, changes);
    const said = await thread.write(ours, planComments(ours, ledger, update.render(ledger)));
    if (changes.length === 0) return said;
    // A run that read the comment before this write writes its own about as long after its read:
    // waiting that long before reading back catches it overwriting these changes.
    await delay(2 * (Date.now() - started) + 50);
    if (holdsAll(ledgerOf((await readComments(thread)).ours).ledger, changes)) return said;
    if (attempt >= MAX_WRITES) {
      throw new Error(
        `another run kept rewriting the comment on pull request #${number}; ${grouped(changes.length)} batches may be missing from its ledger`,
      );
    }
    // Apart, so that two runs that collided do not collide again.
    await delay(150 * attempt + Math.random() * 250);
  }
}
