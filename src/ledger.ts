// The ledger of a pull request: the translations it started, kept in the action's own comment on the
// pull request (machine-readable in a hidden marker, readable as a table), so that the step that runs
// when the pull request closes, merged or not, finds them all. Nothing here talks to GitHub.
import * as z from 'zod/mini';
import { inertText } from './html.ts';
import { isGuid } from './job-reference.ts';

export interface LedgerEntry {
  id: string;
  /** The service root the batch lives on: the credential is only ever sent there. */
  host: string;
  /** The workflow run that recorded it. */
  run?: string;
  recordedAt: string;
  /** The latest status and outcome known, and when they were learned. */
  status?: string;
  outcome?: string;
  updatedAt: string;
}

const EntrySchema = z.object({
  id: z.string().check(z.refine(isGuid)),
  host: z.url(),
  run: z.optional(z.url()),
  recordedAt: z.string(),
  status: z.optional(z.string()),
  outcome: z.optional(z.string()),
  updatedAt: z.string(),
});

const LedgerSchema = z.object({ version: z.literal(1), entries: z.array(z.unknown()) });

// base64 keeps the JSON out of HTML's way: it can never close the comment that hides it.
const LEDGER_MARKER = /<!-- cancel-document-translation:ledger (?<data>[A-Za-z0-9+/=]*) -->/;

/** The ledger hidden in a comment, and how many of its entries were unreadable; undefined without one. */
export function readLedger(body: string): { entries: LedgerEntry[]; unreadable: number } | undefined {
  const data = LEDGER_MARKER.exec(body)?.groups?.data;
  if (data === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    return { entries: [], unreadable: 1 };
  }
  const ledger = LedgerSchema.safeParse(json);
  if (!ledger.success) return { entries: [], unreadable: 1 };
  const entries = ledger.data.entries.map((entry) => EntrySchema.safeParse(entry));
  return {
    entries: entries.flatMap((entry) =>
      entry.success ? [{ ...entry.data, id: entry.data.id.toLowerCase() }] : [],
    ),
    unreadable: entries.filter((entry) => !entry.success).length,
  };
}

/** The hidden marker that holds `entries`. */
export function ledgerMarker(entries: readonly LedgerEntry[]): string {
  const data = Buffer.from(JSON.stringify({ version: 1, entries })).toString('base64');
  return `<!-- cancel-document-translation:ledger ${data} -->`;
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
    merged.set(entry.id, { ...latest, run: first.run, recordedAt: first.recordedAt });
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

function runLink(run: string | undefined): string {
  if (!run) return '—';
  const id = /\/runs\/(\d+)/.exec(run)?.[1];
  return `<a href="${inertText(run)}">${id ? `run ${id}` : 'run'}</a>`;
}

/** The ledger as people read it: one row per batch, with the run that started it. */
export function renderLedger(entries: readonly LedgerEntry[]): string {
  const rows = entries.map(
    (entry) =>
      `<tr><td><code>${inertText(entry.id)}</code></td><td>${runLink(entry.run)}</td><td>${inertText(entry.status ?? '—')}</td><td>${inertText(entry.outcome ?? '—')}</td></tr>`,
  );
  return [
    '<h3>Translations started by this pull request</h3>',
    `<table><tr><th>batch</th><th>started by</th><th>status</th><th>outcome</th></tr>${rows.join('')}</table>`,
  ].join('\n');
}
