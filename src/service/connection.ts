// A client of the service for a step, signed in with its credential: who the action is to the
// services it calls (the user agent), the headers that carry the credential (keyless sign-in, the
// workflow's OIDC token exchanged at Microsoft Entra ID, loads its chunk only when used), and one
// connection pool for all of the step's requests.

import type { Credential, Service, Settings } from '../common/types.ts';
import { info, maskSecret, requestOidcToken } from '../github/runner.ts';
import { createDispatcher, type Dispatcher } from './http.ts';
import { Deadline, type RequestLimits } from './timing.ts';
import { TranslatorClient } from './translator-client.ts';

const USER_AGENT = 'cancel-document-translation/1';

/** The headers that carry the credential; `interrupt` stops a sign-in when the runner cancels the step. */
async function credentialHeaders(
  credential: Credential,
  dispatcher: Dispatcher,
  interrupt: AbortSignal,
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
      const { describeSignIn, exchangeOidcToken, OIDC_AUDIENCE } = await import('./entra.ts');
      info(
        `Signing in as client-id ${credential.clientId} in tenant ${credential.tenantId} with the workflow's OIDC token, to ${describeSignIn(credential)}.`,
      );
      const oidcToken = await requestOidcToken(OIDC_AUDIENCE);
      const accessToken = await exchangeOidcToken(credential, oidcToken, {
        dispatcher,
        userAgent: USER_AGENT,
        interrupt,
      });
      maskSecret(accessToken);
      return { authorization: `Bearer ${accessToken}` };
    }
  }
}

/**
 * Runs `work` with a client of the service at `serviceBase`, signed in with the step's credential;
 * one connection pool (and proxy) for all of it, closed after. The close is not waited for: it takes
 * a turn of the event loop (a few ms of every run) for sockets that undici has already let go of
 * (idle sockets do not keep the process alive), and its promise never rejects.
 */
export async function withClient<T>(
  step: { settings: Settings; interrupt: AbortSignal },
  { serviceBase, credential }: Service,
  work: (client: TranslatorClient, limits: RequestLimits) => Promise<T>,
): Promise<T> {
  const { settings, interrupt } = step;
  const limits: RequestLimits = {
    maxRetries: settings.maxRetries,
    deadline: new Deadline(settings.timeoutSeconds),
    interrupt,
    log: info,
  };
  const dispatcher = await createDispatcher();
  try {
    const authHeaders = await credentialHeaders(credential, dispatcher, interrupt);
    const connection = { serviceBase, apiVersion: settings.apiVersion, authHeaders, userAgent: USER_AGENT };
    return await work(new TranslatorClient(connection, limits, dispatcher), limits);
  } finally {
    void dispatcher.destroy();
  }
}
