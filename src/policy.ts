import { listEntries } from './list-input.ts';
import { InputError, quote } from './user-errors.ts';

export type PolicyAction = 'fail' | 'warn' | 'ignore';

/** The user's `error-policy`: lower-cased key to action. */
export type ErrorPolicy = ReadonlyMap<string, PolicyAction>;

/** What is not worth failing a build over, unless the user says otherwise; anything else fails. */
const DEFAULT_POLICY: ErrorPolicy = new Map<string, PolicyAction>([
  ['alreadyfinished', 'warn'],
  ['timeout', 'warn'],
  // The service answered with a status this action does not know: nothing is known to be wrong.
  ['unexpectedstatus', 'warn'],
  // A ledger entry on another resource than the endpoint: skipped, for a step with that endpoint.
  ['otherendpoint', 'warn'],
]);
const DEFAULT_ACTION: PolicyAction = 'fail';

const ACTIONS: readonly string[] = ['fail', 'warn', 'ignore'];
const LINE = /^(?<key>[^:\s]+)\s*:\s*(?<action>\S+)$/;
const KEY = /^(?:\*|\d{3}|[A-Za-z][A-Za-z0-9]*)$/;

/** Reads entries of `KEY: action`, one per line or comma. Keys match case-insensitively. */
export function parseErrorPolicy(text: string): ErrorPolicy {
  const policy = new Map<string, PolicyAction>();
  for (const entry of listEntries(text)) {
    const match = LINE.exec(entry);
    const key = match?.groups?.key ?? '';
    const action = match?.groups?.action?.toLowerCase() ?? '';
    if (!match || !KEY.test(key)) {
      throw new InputError(
        `error-policy entry ${quote(entry)} is not of the form KEY: fail|warn|ignore (KEY is a situation such as AlreadyFinished, an error code, an HTTP status or *).`,
      );
    }
    if (!ACTIONS.includes(action)) {
      throw new InputError(
        `error-policy entry ${quote(entry)} has an unknown action ${quote(action)}: use fail, warn or ignore.`,
      );
    }
    const normalizedKey = key.toLowerCase();
    if (policy.has(normalizedKey)) throw new InputError(`error-policy names ${quote(key)} twice.`);
    policy.set(normalizedKey, action as PolicyAction);
  }
  return policy;
}

export interface PolicyDecision {
  action: PolicyAction;
  /** The key that decided, as written in the policy (`*` when nothing more specific matched). */
  key: string;
}

/**
 * Picks the action for a situation described by `keys`, most specific first (situation, error
 * code, HTTP status). The user's keys are looked at before the defaults, so `*: ignore` silences
 * everything, and the first key present wins.
 */
export function decide(policy: ErrorPolicy, keys: readonly string[]): PolicyDecision {
  const candidates = [...keys.map((key) => key.toLowerCase()), '*'];
  for (const source of [policy, DEFAULT_POLICY]) {
    for (const key of candidates) {
      const action = source.get(key);
      if (action) return { action, key: keys.find((k) => k.toLowerCase() === key) ?? key };
    }
  }
  return { action: DEFAULT_ACTION, key: '*' };
}
