// The step's clients of the service, signed in with its credential: who the action is to the
// services it calls (the user agent), the headers that carry the credential (keyless sign-in, the
// workflow's OIDC token exchanged at Microsoft Entra ID, loads its chunk only when used), and one
// pool of connections, through the runner's proxy where it names one, for all of the step's requests.

import type { Credential, Service } from '../common/credential.ts';
import { info, maskSecret, oidcTokenService } from '../github/runner-start.ts';
import { proxyFor } from '../settings/proxy.ts';
import type { Settings } from '../settings/settings.ts';
import type { BatchClient } from './batch-client.ts';
import type { EarlyConnection } from './early-connection.ts';
import { type Connections, openConnections } from './http.ts';
import type { RequestLimits } from './retry.ts';
import { TranslatorClient } from './translator-client.ts';

const USER_AGENT = 'cancel-document-translation/1';

/** The headers that carry the credential. */
async function credentialHeaders(
  credential: Credential,
  connections: Connections,
  limits: RequestLimits,
): Promise<Record<string, string>> {
  switch (credential.kind) {
    case 'key':
      return {
        'ocp-apim-subscription-key': credential.subscriptionKey,
        ...(credential.region ? { 'ocp-apim-subscription-region': credential.region } : {}),
      };
    case 'access-token':
      return { authorization: `Bearer ${credential.accessToken}` };
    case 'federated': {
      const { describeSignIn, signIn } = await import(/* webpackChunkName: "keyless-sign-in" */ './entra.ts');
      info(
        `Signing in as client-id ${credential.clientId} in tenant ${credential.tenantId} with the workflow's OIDC token, to ${describeSignIn(credential)}.`,
      );
      const accessToken = await signIn(credential, {
        connections,
        limits,
        userAgent: USER_AGENT,
        oidc: oidcTokenService(),
        mask: maskSecret,
      });
      return { authorization: `Bearer ${accessToken}` };
    }
  }
}

/**
 * Clients of the service for a step: each signed in with its service's credential, all bound to the
 * step's limits and sharing one pool of connections, which close() lets go of. The close is not
 * waited for: it takes a turn of the event loop (a few ms of every run) for sockets that undici has
 * already let go of (idle sockets do not keep the process alive), and its promise never rejects.
 */
export class ServiceClients {
  readonly #settings: Pick<Settings, 'apiVersion' | 'proxies'>;
  readonly #limits: RequestLimits;
  readonly #early: readonly EarlyConnection[];
  #connections?: Promise<Connections>;

  /** Clients within `limits`; the first connections are the `early` ones that opened. */
  constructor(
    settings: Pick<Settings, 'apiVersion' | 'proxies'>,
    limits: RequestLimits,
    early: readonly EarlyConnection[] = [],
  ) {
    this.#settings = settings;
    this.#limits = limits;
    this.#early = early;
  }

  /** A client of the service at `serviceBase`, signed in with `credential`. */
  async open({ serviceBase, credential }: Service): Promise<BatchClient> {
    const { proxies, apiVersion } = this.#settings;
    const anyProxy = proxies.https !== undefined || proxies.http !== undefined;
    this.#connections ??= openConnections(
      anyProxy ? (url) => proxyFor(proxies, url) : undefined,
      this.#early,
    );
    const connections = await this.#connections;
    const authHeaders = await credentialHeaders(credential, connections, this.#limits);
    const connection = { serviceBase, apiVersion, authHeaders, userAgent: USER_AGENT };
    return new TranslatorClient(connection, this.#limits, connections);
  }

  close(): void {
    void this.#connections?.then((connections) => connections.close());
    // The early connections that nothing took.
    for (const connection of this.#early) connection.close();
  }
}
