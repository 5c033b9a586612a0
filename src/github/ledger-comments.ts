// How the pull request's ledger is spread over the action's comments, each within GitHub's limits of
// 65,536 characters and 262,144 bytes: the first holds what people read (the report and the ledger's
// table) and as many batches as fit beside it; further comments hold the rest, about 1,040 each. A
// batch stays in the comment that holds it, so that a run reading the comments while another writes
// them finds every batch; it moves only into an older comment with room, and a later comment left
// empty is deleted. Each update reads the comments, merges, writes them (through pr-comment.ts) and
// reads them back.
//
// GitHub has no compare-and-swap for comments: a run that read the comments before another wrote
// them can overwrite what the other recorded. A rewrite leaves soon after its read, or checks the
// comment first (pr-comment.ts), and the run that wrote reads its write back after waiting longer
// than that. Batches never leave the ledger: one a run has read and then finds missing was dropped by
// such a write, and the run puts it back. A run that finds its changes overwritten (runs of a matrix
// writing at once) writes them into a comment of its own, which no other run rewrites: a recent
// record. Every run merges the recent records it reads into what it writes, so a write can no longer
// lose those batches. A run deletes its own record once the ledger's comments hold its changes and no
// older record remains (a run that read before this record was made has made an older one, or read
// what it replaces); a record whose run could not delete it is folded in and deleted by any run once
// it is older than FOLD_AFTER_MS, when every write from a read made before it has landed (no write's
// body comes from a read older than STALE_READ_MS, and each request ends within GitHub's timeout).
import { setTimeout as delay } from 'node:timers/promises';
import { batches } from '../common/numbers.ts';
import type { RequestLimits } from '../service/retry.ts';
import {
  batchesWithin,
  droppedFrom,
  holdsAll,
  type LedgerEntry,
  ledgerMarker,
  MARKER,
  mergeLedgers,
  readLedger,
  VIEW_BUDGET,
} from './ledger.ts';
import {
  type CommentPlan,
  CommentThread,
  type MarkedComment,
  type ReadTime,
  StaleWrite,
} from './pr-comment.ts';

/** GitHub refuses a comment body longer than this (422 "body is too long"). */
export const COMMENT_LIMIT = 65_536;
// Others measured GitHub's limit in bytes too (what the 422 does not say): a body stays within both.
const COMMENT_BYTE_LIMIT = 262_144;
// Marks a recent record: batches one run recorded, in a comment of their own.
const RECENT = '<!-- cancel-document-translation:recent -->';
// A recent record older than this is folded in and deleted (every write from a read before it has landed).
const FOLD_AFTER_MS = 120_000;
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
  /** Whether it is a recent record, which only its own run writes. */
  recent: boolean;
}

/** One of the action's comments, with its record read. */
export function ourComment(comment: MarkedComment): OurComment {
  return { ...comment, ledger: readLedger(comment.body), recent: comment.body.includes(RECENT) };
}

/** Comments whose record cannot be read: left as they are, as rewriting them would lose their batches for good. */
function isUnreadable(comment: OurComment): boolean {
  const { ledger } = comment;
  return ledger !== undefined && ledger.entries.length === 0 && ledger.unreadable > 0;
}

/** The body of a recent record of `entries`. */
function recentBody(entries: readonly LedgerEntry[]): string {
  const note = `<p><sub>${batches(entries.length)} recorded while other runs were writing this pull request's ledger: its first comment from cancel-document-translation shows them, and this record is folded into it. Please leave it as it is.</sub></p>`;
  return checkedBody(`${MARKER}\n${RECENT}\n${ledgerMarker(entries)}\n${note}`);
}

/** `body`, checked against GitHub's limits: an error instead of a body GitHub would refuse. */
function checkedBody(body: string): string {
  const bytes = Buffer.byteLength(body);
  if (body.length > MAX_BODY || bytes > COMMENT_BYTE_LIMIT) {
    throw new Error(
      `a ledger comment came to ${body.length} characters (${bytes} bytes), more than GitHub's ${COMMENT_LIMIT} (${COMMENT_BYTE_LIMIT} bytes)`,
    );
  }
  return body;
}

function partNote(index: number): string {
  return `<p><sub>Part ${index + 1} of the ledger of the translations this pull request started, kept by cancel-document-translation; its first comment shows them. Please leave it as it is.</sub></p>`;
}

function bodyOf(index: number, entries: readonly LedgerEntry[], view: string): string {
  const record = entries.length > 0 ? `\n${ledgerMarker(entries)}` : '';
  return checkedBody(`${MARKER}${record}\n${index === 0 ? view : partNote(index)}`);
}

/**
 * The writes that leave `ledger` (every batch, latest first-recorded order) in `ours` (the action's
 * comments, oldest first) with `view` on the first readable one. Recent records are left as they
 * are, but those older than FOLD_AFTER_MS at `now`, which are deleted once the ledger holds them.
 */
export function planComments(
  ours: readonly OurComment[],
  ledger: readonly LedgerEntry[],
  view: string,
  now = Date.now(),
): CommentPlan {
  if (view.length > VIEW_BUDGET) {
    throw new Error(`the comment's report came to ${view.length} characters, more than its ${VIEW_BUDGET}`);
  }
  const readable = ours.filter((comment) => !isUnreadable(comment) && !comment.recent);
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
  for (const comment of ours) {
    if (comment.recent && now - comment.createdAt >= FOLD_AFTER_MS) plan.deletes.push(comment.id);
  }
  return plan;
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

/** The ledger `ours` hold, of the entries `accept` takes (every one without it). */
function ledgerOf(
  ours: readonly OurComment[],
  accept: (entry: LedgerEntry) => boolean = () => true,
): Omit<PullRequestLedger, 'foreign'> {
  const read = ours.map((comment) => comment.ledger ?? { entries: [], unreadable: 0 });
  return {
    ledger: mergeLedgers(...read.map((ledger) => ledger.entries.filter(accept))),
    unreadable: read.reduce((total, ledger) => total + ledger.unreadable, 0),
    unreadableComments: ours.filter(isUnreadable).map((comment) => comment.url),
  };
}

/** The action's comments on the pull request, oldest first, with their records read, and when. */
async function readComments(
  thread: CommentThread,
): Promise<{ ours: OurComment[]; foreign: number; readTime: ReadTime }> {
  const { ours, foreign, readTime } = await thread.read();
  return { ours: ours.map(ourComment), foreign, readTime };
}

/** The pull request's ledger, as this action wrote it: the entries `accept` takes. */
export async function readPullRequestLedger(
  token: string,
  number: number,
  limits: RequestLimits,
  accept?: (entry: LedgerEntry) => boolean,
): Promise<PullRequestLedger> {
  const { ours, foreign } = await readComments(new CommentThread(token, number, MARKER, limits));
  return { ...ledgerOf(ours, accept), foreign };
}

interface CommentUpdate {
  /** The ledger entries to add or change, given the ledger as it is. */
  changes: (ledger: readonly LedgerEntry[]) => LedgerEntry[];
  /** What people read, given the ledger as it will be. */
  render: (ledger: readonly LedgerEntry[]) => string;
}

// How many times a run reads the comments, at most, each write's read back included; and how long a
// run with a recent record waits, between reads, for older records' runs to write the ledger.
const MAX_READS = 60;
const RECORD_POLL_MS = 400;
// A run whose record is not the oldest writes the ledger itself after waiting this long for the older.
const LEADER_WAIT_MS = 8_000;

/** What the ledger's own comments hold, without the recent records. */
function settledLedger(ours: readonly OurComment[]): LedgerEntry[] {
  return ledgerOf(ours.filter((comment) => !comment.recent)).ledger;
}

/**
 * Writes the comment, keeping what others recorded meanwhile: reads, merges, writes, reads back, and
 * tries again until its changes are in the ledger's comments and no batch it read is missing from them
 * (one dropped is put back). Once another run has overwritten them (a matrix writing at once), they go
 * into a recent record first; the run whose record is the oldest writes the ledger with every record
 * in it, and each run deletes its record once the ledger holds it and no older record remains: the
 * runs write one after another, as GitHub asks. Says what it did, in words for the log.
 */
export async function updatePullRequestComment(
  token: string,
  number: number,
  update: CommentUpdate,
  limits: RequestLimits,
): Promise<string> {
  const thread = new CommentThread(token, number, MARKER, limits);
  // This run's recent records, once it has made them, and since when it has waited on older ones.
  const records: number[] = [];
  let waitingSince = 0;
  let said = '';
  // Every batch this run has read or written, as it last knew it; and its changes as it last wrote them.
  let seen: LedgerEntry[] = [];
  let written: LedgerEntry[] = [];
  for (let read = 1; ; read++) {
    const { ours, readTime } = await readComments(thread);
    const held = ledgerOf(ours).ledger;
    const dropped = droppedFrom(held, seen);
    const known = mergeLedgers(held, dropped);
    seen = known;
    const changes = update.changes(known);
    const settledNow = settledLedger(ours);
    const inLedger = holdsAll(settledNow, written);
    const settled = said !== '' && inLedger && dropped.length === 0;
    const leader = !ours.some((comment) => comment.recent && comment.id < (records[0] ?? 0));
    if (settled && leader) {
      for (const id of records) await thread.delete(id);
      return said;
    }
    const outOfTime = read >= MAX_READS || limits.deadline.remainingMs() < 2_000;
    // Overwritten by another run, or kept from writing till out of time: into a comment of its own.
    const overwritten = said !== '' && !inLedger;
    const unwritten = outOfTime && (dropped.length > 0 || !holdsAll(settledNow, changes));
    if (records.length === 0 && (overwritten || unwritten)) {
      written = overwritten ? written : mergeLedgers(dropped, changes);
      for (let at = 0; at < written.length; at += MORE_COMMENT_BATCHES) {
        records.push((await thread.create(recentBody(written.slice(at, at + MORE_COMMENT_BATCHES)))).id);
      }
      waitingSince = Date.now();
    }
    if (outOfTime) {
      const kept = `, so its record of these ${batches(written.length)} stays in a comment of its own until a later run folds it in`;
      return `${said || 'Recorded'}; other runs were writing the ledger too${records.length > 0 ? kept : ''}`;
    }
    const waitedEnough = readTime.startedAt - waitingSince > LEADER_WAIT_MS;
    if (!settled && (records.length === 0 || leader || dropped.length > 0 || waitedEnough)) {
      const ledger = mergeLedgers(known, changes);
      try {
        const plan = planComments(ours, ledger, update.render(ledger));
        said = await thread.write(ours, plan, readTime);
      } catch (error) {
        if (!(error instanceof StaleWrite)) throw error;
        // What was read is no longer current (another run wrote meanwhile): read again in a while.
        await delay(RECORD_POLL_MS * (0.5 + Math.random()));
        continue;
      }
      seen = ledger;
      written = changes;
      if (changes.length === 0) return said;
      // A run that read before this write rewrites within about its read's time after it (or checks
      // first): reading back after twice this run's read and write catches it overwriting this one.
      await delay(2 * (Date.now() - readTime.startedAt) + 50);
      continue;
    }
    await delay(RECORD_POLL_MS * (0.5 + Math.random()));
  }
}
