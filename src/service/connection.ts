// A client of the service for a step, signed in with its credential: who the action is to the
// services it calls (the user agent), the headers that carry the credential (keyless sign-in, the
// workflow's OIDC token exchanged at Microsoft Entra ID, loads its chunk only when used), and one
// pool of connections, through the runner's proxy where it names one, for all of the step's requests.

import type { Credential, Service, Settings } from '../common/types.ts';
import { info, maskSecret, oidcTokenService } from '../github/runner.ts';
import { proxyFor } from '../settings/proxy.ts';
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
      const { describeSignIn, signIn } = await import('./entra.ts');
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
 * Runs `work` with a client of the service at `serviceBase`, signed in with the step's credential;
 * one pool of connections for all of it, closed after. The close is not waited for: it takes a turn
 * of the event loop (a few ms of every run) for sockets that undici has already let go of (idle
 * sockets do not keep the process alive), and its promise never rejects.
 */
export async function withClient<T>(
  step: { settings: Settings; limits: RequestLimits },
  { serviceBase, credential }: Service,
  work: (client: TranslatorClient, limits: RequestLimits) => Promise<T>,
): Promise<T> {
  const { settings, limits } = step;
  const { proxies } = settings;
  const anyProxy = proxies.https !== undefined || proxies.http !== undefined;
  const connections = await openConnections(anyProxy ? (url) => proxyFor(proxies, url) : undefined);
  try {
    const authHeaders = await credentialHeaders(credential, connections, limits);
    const connection = { serviceBase, apiVersion: settings.apiVersion, authHeaders, userAgent: USER_AGENT };
    return await work(new TranslatorClient(connection, limits, connections), limits);
  } finally {
    connections.close();
  }
}
