// Which ledger entries this pull request's own runs recorded. The record's checksum finds damage, not
// forgery: anyone who gets text into a comment by the same bot (another workflow echoing what a pull
// request says) could copy another pull request's record into it. So a run that records a batch with
// a subscription key seals it: an HMAC over the repository, the pull request's number, the batch and
// its service, keyed by a key derived from the subscription key, which a pull request's author does not
// have. The close, given the same key, acts only on entries whose seal it can check. Without a key
// (keyless sign-in, an access token, or track with no credential) nothing is sealed or checked, and
// the ledger is trusted by its comments' author alone.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Credential } from '../common/credential.ts';
import type { LedgerEntry } from './ledger.ts';

/** The pull request a seal binds an entry to. */
export interface SealScope {
  repository: string;
  pullRequest: number;
}

/** The key seals are made with: derived from the subscription key (never the key itself); none without one. */
export function sealKeyOf(credential: Credential | undefined): Buffer | undefined {
  if (credential?.kind !== 'key') return undefined;
  return createHmac('sha256', credential.subscriptionKey)
    .update('cancel-document-translation ledger seal')
    .digest();
}

function sealOf(key: Buffer, scope: SealScope, entry: LedgerEntry): string {
  return createHmac('sha256', key)
    .update(`${scope.repository}#${scope.pullRequest}\n${entry.id}\n${entry.serviceBase}`)
    .digest('hex')
    .slice(0, 16);
}

/** `entries` sealed for `scope`, when there is a key. */
export function sealed(
  entries: readonly LedgerEntry[],
  key: Buffer | undefined,
  scope: SealScope,
): LedgerEntry[] {
  return key ? entries.map((entry) => ({ ...entry, seal: sealOf(key, scope, entry) })) : [...entries];
}

/** Whether this step may act on `entry`: its seal is this pull request's, under this step's key. */
export function sealCheck(
  entry: LedgerEntry,
  key: Buffer,
  scope: SealScope,
): 'sealed' | 'unsealed' | 'not this pull request' {
  if (!entry.seal) return 'unsealed';
  const expected = Buffer.from(sealOf(key, scope, entry), 'hex');
  return timingSafeEqual(expected, Buffer.from(entry.seal, 'hex')) ? 'sealed' : 'not this pull request';
}
