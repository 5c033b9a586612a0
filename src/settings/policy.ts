import { ALL_ERROR_CODES, ErrorCode } from '../common/error-codes.ts';
import { InputError, quote } from '../common/user-errors.ts';
import { listEntries } from './list-input.ts';

/** What the step can do for a key of the error policy. */
const POLICY_ACTIONS = ['fail', 'warn', 'ignore'] as const;
type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** The user's `error-policy`: lower-cased key to action. */
export type ErrorPolicy = ReadonlyMap<string, PolicyAction>;

/** The situations a policy can name besides error codes: the keys the action decides with first. */
export const Situation = {
  /** The batch had finished before the cancel: nothing was cancelled. */
  AlreadyFinished: 'AlreadyFinished',
  /** With wait: true, the step's time ran out before a final status. */
  Timeout: 'Timeout',
} as const;

/** What is not worth failing a build over, unless the user says otherwise; anything else fails. */
const DEFAULT_POLICY: ErrorPolicy = new Map(
  (
    [
      [Situation.AlreadyFinished, 'warn'],
      [Situation.Timeout, 'warn'],
      // The service answered with a status this action does not know: nothing is known to be wrong.
      [ErrorCode.UnexpectedStatus, 'warn'],
      // A ledger entry on another resource than the endpoint: skipped, for a step with that endpoint.
      [ErrorCode.OtherEndpoint, 'warn'],
    ] as const
  ).map(([key, action]) => [key.toLowerCase(), action]),
);
const DEFAULT_ACTION: PolicyAction = 'fail';

const LINE = /^(?<key>[^:\s]+)\s*:\s*(?<action>\S+)$/;
const KEY = /^(?:\*|\d{3}|[A-Za-z][A-Za-z0-9]*)$/;

// What the action decides with, besides any HTTP status: its situations and every error code it names.
const KNOWN_KEYS: readonly string[] = [...Object.values(Situation), ...ALL_ERROR_CODES];
const KNOWN_KEYS_LOWER_CASED = new Set(KNOWN_KEYS.map((key) => key.toLowerCase()));

function isPolicyAction(text: string): text is PolicyAction {
  return (POLICY_ACTIONS as readonly string[]).includes(text);
}

/** How many single-letter edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key a mistyped one most likely meant: a few letters off, or the same in another case. */
function nearestKnownKey(key: string): string | undefined {
  // No known key is longer than 20 letters: a longer one is no typo of one, and costs to compare.
  if (key.length > 40) return undefined;
  const typed = key.toLowerCase();
  let nearest: { key: string; distance: number } | undefined;
  for (const known of KNOWN_KEYS) {
    const distance = editDistance(typed, known.toLowerCase());
    if (!nearest || distance < nearest.distance) nearest = { key: known, distance };
  }
  return nearest && nearest.distance <= Math.max(2, Math.floor(key.length / 4)) ? nearest.key : undefined;
}

/** A warning for a key the action never decides with; the key still applies, should the service send it. */
function unknownKeyWarning(key: string): string {
  const nearest = nearestKnownKey(key);
  return `error-policy key ${quote(key)} is not a situation, error code or HTTP status this action knows${nearest ? ` (did you mean ${nearest}?)` : ''}; it is kept, in case the service sends it as a new error code.`;
}

/**
 * Reads entries of `KEY: action`, one per line or comma; `#` comments are ignored. Keys match
 * case-insensitively; `warn` is told of each key the action does not know.
 */
export function parseErrorPolicy(text: string, warn: (message: string) => void = () => {}): ErrorPolicy {
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
    if (!isPolicyAction(action)) {
      throw new InputError(
        `error-policy entry ${quote(entry)} has an unknown action ${quote(action)}: use fail, warn or ignore.`,
      );
    }
    const normalizedKey = key.toLowerCase();
    if (policy.has(normalizedKey)) throw new InputError(`error-policy names ${quote(key)} twice.`);
    const known = key === '*' || /^\d{3}$/.test(key) || KNOWN_KEYS_LOWER_CASED.has(normalizedKey);
    if (!known) warn(unknownKeyWarning(key));
    policy.set(normalizedKey, action);
  }
  return policy;
}

interface PolicyDecision {
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
