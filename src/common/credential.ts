// How the step authenticates to the service, and where: the settings choose them, the service signs
// in with them, the ledger derives its seal's key from the credential. This module imports nothing
// of the action's.

/** Keyless sign-in: who signs in, and for which cloud's scope at which authority. */
export interface FederatedCredential {
  clientId: string;
  tenantId: string;
  /** The Azure cloud of the endpoint, which decides the scope (and the authority, unless given). */
  cloud: string;
  scope: string;
  authorityHost: string;
  /** Whether authority-host was given, rather than taken from the cloud. */
  authorityGiven: boolean;
}

/** How requests authenticate: exactly one kind per step. */
export type Credential =
  | { kind: 'key'; subscriptionKey: string; region?: string }
  | { kind: 'access-token'; accessToken: string }
  | ({ kind: 'federated' } & FederatedCredential);

/** Where requests go (the service root, without a trailing slash) and how they sign in. */
export interface Service {
  serviceBase: string;
  credential: Credential;
}
