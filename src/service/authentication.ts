// Who the action is to the services it calls: the user agent, and the headers that carry the
// step's credential. Keyless sign-in (the workflow's OIDC token exchanged at Microsoft Entra ID)
// happens here, loading its chunk only when used.

import type { Credential } from '../common/types.ts';
import { info, maskSecret, requestOidcToken } from '../github/runner.ts';
import type { Dispatcher } from './http.ts';

export const USER_AGENT = 'cancel-document-translation/1';

/** The headers that carry the credential; `interrupt` stops a sign-in when the runner cancels the step. */
export async function credentialHeaders(
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
