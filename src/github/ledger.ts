// The ledger of a pull request: the translations it started, kept in the action's own comment on the
// pull request (machine-readable in a hidden marker, readable as a table), so that the step that runs
// when the pull request closes, merged or not, finds them all. Nothing here talks to GitHub.
import * as z from 'zod/mini';
import { type BatchResult, isGuid } from '../common/batch.ts';

/** Every comment of the action's carries it; only those written by github-token's user count. */
export const MARKER = '<!-- cancel-document-translation -->';
/** What people read on the first comment, the report and the ledger's table together, at most. */
export const VIEW_BUDGET = 28_000;

export interface LedgerEntry {
  id: string;
  /** The service root the batch lives on: the credential is only ever sent there. */
  serviceBase: string;
  /** The workflow run that recorded it, and the commit that run was for (7 hex digits). */
  run?: string;
  commit?: string;
  /** Its seal (ledger-seal.ts): 16 hex digits that bind it to this pull request; absent when unsealed. */
  seal?: string;
  recordedAt: string;
  /** The latest status and outcome known, and when they were learned. */
  status?: string;
  outcome?: string;
  updatedAt: string;
}

const EntrySchema = z.object({
  id: z.string().check(z.refine(isGuid)),
  serviceBase: z.url(),
  run: z.optional(z.url()),
  commit: z.optional(z.string().check(z.regex(/^[0-9a-f]{7}$/))),
  seal: z.optional(z.string().check(z.regex(/^[0-9a-f]{16}$/))),
  recordedAt: z.string(),
  status: z.optional(z.string()),
  outcome: z.optional(z.string()),
  updatedAt: z.string(),
});

const LedgerV1Schema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });

// Version 2 keeps a batch in 37 bytes (its id's 16; its service, status and outcome as indexes into the
// tables of the marker's header; its run's number; the two times in milliseconds): 49 characters in
// base64, against about 400 in version 1's JSON, so that a comment holds a thousand batches.
const HeaderSchema = z.object({
  v: z.literal(2),
  n: z.number(),
  sum: z.number(),
  services: z.array(z.string()),
  statuses: z.array(z.string()),
  outcomes: z.array(z.string()),
  runs: z.string(),
  /** Each run's commit, by the run's number (records written before commits were kept have none). */
  commits: z.optional(z.record(z.string(), z.string())),
});
type Header = z.infer<typeof HeaderSchema>;

const RECORD_BYTES = 37;
// A seal, kept in the header: older versions of the action read the record as before.
const SEAL_BYTES = 8;
// The seals, SEAL_BYTES a batch in the record's order (zeros where one has none), in a marker of their
// own beside the record: older versions of the action read the record as before.
const SEALS_MARKER = /<!-- cancel-document-translation:seals (?<seals>[A-Za-z0-9+/=]*) -->/;
// One byte indexes each table; 0 stands for "none" in the status and the outcome.
const MAX_TABLE = 254;

// base64 keeps the data out of HTML's way: it can never close the comment that hides it.
const LEDGER_MARKER = /<!-- cancel-document-translation:ledger (?<data>[A-Za-z0-9+/=]*) -->/;
const LEDGER_V2_MARKER =
  /<!-- cancel-document-translation:ledger:2 (?<header>[A-Za-z0-9+/=]*)\.(?<records>[A-Za-z0-9+/=]*) -->/;

/** The characters the hidden record of `count` batches takes with their seals, besides its header's tables. */
export function recordLength(count: number): number {
  return Math.ceil((count * RECORD_BYTES) / 3) * 4 + Math.ceil((count * SEAL_BYTES) / 3) * 4;
}

/** How many batches a hidden record of at most `characters`, with their seals, holds besides its header's tables. */
export function batchesWithin(characters: number): number {
  // base64 writes 3 bytes as 4 characters.
  return Math.floor((Math.floor(characters / 4) * 3) / (RECORD_BYTES + SEAL_BYTES));
}

// FNV-1a: a record edited by hand, or cut short, is unreadable rather than read as other batches.
function checksum(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

const RUN_NUMBER = /^(?<base>.*\/runs\/)(?<number>\d{1,15})$/;

function indexIn(table: string[], value: string): number {
  const known = table.indexOf(value);
  if (known >= 0) return known;
  table.push(value);
  return table.length - 1;
}

function timeOf(text: string): number {
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : 0;
}

/** The hidden marker that holds `entries`. */
export function ledgerMarker(entries: readonly LedgerEntry[]): string {
  const runs = entries.map((entry) => RUN_NUMBER.exec(entry.run ?? '')?.groups).find(Boolean)?.base ?? '';
  const header: Header = { v: 2, n: entries.length, sum: 0, services: [], statuses: [], outcomes: [], runs };
  const commits: Record<string, string> = {};
  const bytes = Buffer.alloc(entries.length * RECORD_BYTES);
  const seals = Buffer.alloc(entries.length * SEAL_BYTES);
  entries.forEach((entry, index) => {
    const at = index * RECORD_BYTES;
    bytes.write(entry.id.replace(/-/g, ''), at, 16, 'hex');
    bytes[at + 16] = indexIn(header.services, entry.serviceBase);
    bytes[at + 17] = entry.status === undefined ? 0 : indexIn(header.statuses, entry.status) + 1;
    bytes[at + 18] = entry.outcome === undefined ? 0 : indexIn(header.outcomes, entry.outcome) + 1;
    const run = RUN_NUMBER.exec(entry.run ?? '')?.groups;
    const kept = run && run.base === runs;
    bytes.writeUIntBE(kept ? Number(run.number) : 0, at + 19, 6);
    if (kept && entry.commit) commits[run.number ?? ''] = entry.commit;
    bytes.writeUIntBE(timeOf(entry.recordedAt), at + 25, 6);
    bytes.writeUIntBE(timeOf(entry.updatedAt), at + 31, 6);
    if (entry.seal) seals.write(entry.seal, index * SEAL_BYTES, SEAL_BYTES, 'hex');
  });
  if ([header.services, header.statuses, header.outcomes].some((table) => table.length > MAX_TABLE)) {
    throw new Error(`one ledger comment can name at most ${MAX_TABLE} services, statuses or outcomes`);
  }
  if (Object.keys(commits).length > 0) header.commits = commits;
  header.sum = checksum(bytes);
  const head = Buffer.from(JSON.stringify(header)).toString('base64');
  const record = `<!-- cancel-document-translation:ledger:2 ${head}.${bytes.toString('base64')} -->`;
  if (!entries.some((entry) => entry.seal)) return record;
  return `${record}\n<!-- cancel-document-translation:seals ${seals.toString('base64')} -->`;
}

/** The seal of the batch at `index`, when it has one (a seal of zeros is none). */
function sealAt(seals: Buffer | undefined, index: number): { seal?: string } {
  const seal = seals?.toString('hex', index * SEAL_BYTES, (index + 1) * SEAL_BYTES);
  return seal && /[^0]/.test(seal) ? { seal } : {};
}

function guidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function readV2(
  headerText: string,
  recordsText: string,
  sealsText: string | undefined,
): { entries: LedgerEntry[]; unreadable: number } {
  let header: Header;
  try {
    header = HeaderSchema.parse(JSON.parse(Buffer.from(headerText, 'base64').toString('utf8')));
  } catch {
    return { entries: [], unreadable: 1 };
  }
  const bytes = Buffer.from(recordsText, 'base64');
  if (bytes.length !== header.n * RECORD_BYTES || checksum(bytes) !== header.sum) {
    return { entries: [], unreadable: 1 };
  }
  const seals = sealsText === undefined ? undefined : Buffer.from(sealsText, 'base64');
  if (seals && seals.length !== header.n * SEAL_BYTES) return { entries: [], unreadable: 1 };
  const iso = (ms: number) => new Date(ms).toISOString();
  const entries: unknown[] = [];
  for (let at = 0; at < bytes.length; at += RECORD_BYTES) {
    const run = bytes.readUIntBE(at + 19, 6);
    const status = header.statuses[(bytes[at + 17] ?? 0) - 1];
    const outcome = header.outcomes[(bytes[at + 18] ?? 0) - 1];
    entries.push({
      id: guidOf(bytes.toString('hex', at, at + 16)),
      serviceBase: header.services[bytes[at + 16] ?? 0],
      ...(run > 0 && header.runs ? { run: `${header.runs}${run}` } : {}),
      ...(run > 0 && header.commits?.[run] ? { commit: header.commits[run] } : {}),
      recordedAt: iso(bytes.readUIntBE(at + 25, 6)),
      ...(status === undefined ? {} : { status }),
      ...(outcome === undefined ? {} : { outcome }),
      updatedAt: iso(bytes.readUIntBE(at + 31, 6)),
      ...sealAt(seals, at / RECORD_BYTES),
    });
  }
  return validEntries(entries);
}

function validEntries(entries: readonly unknown[]): { entries: LedgerEntry[]; unreadable: number } {
  const parsed = entries.map((entry) => EntrySchema.safeParse(entry));
  return {
    entries: parsed.flatMap((entry) =>
      entry.success ? [{ ...entry.data, id: entry.data.id.toLowerCase() }] : [],
    ),
    unreadable: parsed.filter((entry) => !entry.success).length,
  };
}

/**
 * The ledger hidden in a comment, and how many of its entries were unreadable; undefined without one.
 * Reads version 1 too, which comments written before version 2 hold.
 */
export function readLedger(body: string): { entries: LedgerEntry[]; unreadable: number } | undefined {
  const v2 = LEDGER_V2_MARKER.exec(body)?.groups;
  if (v2) return readV2(v2.header ?? '', v2.records ?? '', SEALS_MARKER.exec(body)?.groups?.seals);
  const data = LEDGER_MARKER.exec(body)?.groups?.data;
  if (data === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return { entries: [], unreadable: 1 };
  }
  const ledger = LedgerV1Schema.safeParse(json);
  if (!ledger.success) return { entries: [], unreadable: 1 };
  // Version 1 named the service root `host`.
  const entries = ledger.data.entries.map((entry) =>
    entry !== null && typeof entry === 'object' && 'host' in entry
      ? { ...entry, serviceBase: entry.host }
      : entry,
  );
  return validEntries(entries);
}

/**
 * One ledger from several: each batch once, in the order first recorded, with its latest status (the
 * most recent `updatedAt` wins) and its first recording (run and time).
 */
export function mergeLedgers(...ledgers: ReadonlyArray<readonly LedgerEntry[]>): LedgerEntry[] {
  const merged = new Map<string, LedgerEntry>();
  for (const entry of ledgers.flat()) {
    const known = merged.get(entry.id);
    if (!known) {
      merged.set(entry.id, entry);
      continue;
    }
    const latest = entry.updatedAt > known.updatedAt ? entry : known;
    const first = entry.recordedAt < known.recordedAt ? entry : known;
    merged.set(entry.id, {
      ...latest,
      run: first.run,
      commit: first.commit,
      seal: latest.seal ?? first.seal,
      recordedAt: first.recordedAt,
    });
  }
  // ISO timestamps sort as text; localeCompare would load ICU's collation data (about 6 ms).
  return [...merged.values()].sort((a, b) =>
    a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0,
  );
}

/** Whether `ledger` holds every one of `changes`, at least as recent. */
export function holdsAll(ledger: readonly LedgerEntry[], changes: readonly LedgerEntry[]): boolean {
  const byId = new Map(ledger.map((entry) => [entry.id, entry]));
  return changes.every((change) => (byId.get(change.id)?.updatedAt ?? '') >= change.updatedAt);
}

/** The entries of `seen` that `ledger` no longer holds: batches never leave it, so a write dropped them. */
export function droppedFrom(ledger: readonly LedgerEntry[], seen: readonly LedgerEntry[]): LedgerEntry[] {
  const held = new Set(ledger.map((entry) => entry.id));
  return seen.filter((entry) => !held.has(entry.id));
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
