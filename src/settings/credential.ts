// The credential the inputs give: a resource key, an access token, or keyless sign-in with the
// workflow's OIDC token (its cloud, scope and authority following the endpoint). At most one.

import { isGuid } from '../common/batch.ts';
import type { Credential } from '../common/credential.ts';
import { Input } from '../common/names.ts';
import { InputError, quote } from '../common/user-errors.ts';
import { cloudOf, parseAuthorityHost } from './endpoint.ts';
import type { Inputs } from './schema.ts';

export const NO_CREDENTIAL =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows workflow syntax, not a template
  'No credential: set subscription-key to the Translator resource key (subscription-key: ${{ secrets.TRANSLATOR_KEY }}), or access-token, or client-id and tenant-id for keyless sign-in.';

/** A secret as a header carries it: the message must never echo it. */
function checkSecret(value: string, inputName: string): string {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(`${inputName} has spaces or characters it never has: check the secret.`);
  }
  return value;
}

/** The credential given, checked; undefined when none is (whether the mode needs one is the mode's to say). */
export function selectCredential(
  inputs: Inputs,
  serviceBase: string | undefined,
  allowedHosts: readonly string[],
): Credential | undefined {
  const key = inputs[Input.SubscriptionKey];
  const accessToken = inputs[Input.AccessToken];
  const clientId = inputs[Input.ClientId];
  const tenantId = inputs[Input.TenantId];
  const region = inputs[Input.Region];
  const given = [
    key && 'subscription-key',
    accessToken && 'access-token',
    (clientId || tenantId) && 'client-id',
  ];
  const kinds = given.filter(Boolean);
  if (kinds.length === 0) return undefined;
  if (kinds.length > 1) {
    throw new InputError(`Give one credential, not several: ${kinds.join(' and ')} are both set.`);
  }
  if (key)
    return {
      kind: 'key',
      subscriptionKey: checkSecret(key, Input.SubscriptionKey),
      region: region || undefined,
    };
  if (accessToken) return { kind: 'access-token', accessToken: checkSecret(accessToken, Input.AccessToken) };
  if (!clientId || !tenantId) {
    throw new InputError(
      clientId
        ? 'client-id is set but tenant-id is not: set tenant-id to the Microsoft Entra tenant (directory) id.'
        : 'tenant-id is set but client-id is not: set client-id to the application (client) id to sign in as.',
    );
  }
  if (!isGuid(clientId)) {
    throw new InputError(`client-id ${quote(clientId)} is not an application (client) id: expected a GUID.`);
  }
  if (!isGuid(tenantId) && !/^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/i.test(tenantId)) {
    throw new InputError(`tenant-id ${quote(tenantId)} is neither a tenant id (a GUID) nor a domain name.`);
  }
  // The token's scope follows the endpoint's cloud, and so does the authority unless one is given.
  if (!serviceBase) {
    throw new InputError(
      "Keyless sign-in with from-pull-request needs endpoint: the endpoint's cloud decides what the token is for.",
    );
  }
  const cloud = cloudOf(serviceBase);
  const authorityInput = inputs[Input.AuthorityHost];
  return {
    kind: 'federated',
    clientId,
    tenantId,
    cloud: cloud.name,
    scope: cloud.scope,
    authorityHost: authorityInput ? parseAuthorityHost(authorityInput, allowedHosts) : cloud.authorityHost,
    authorityGiven: authorityInput !== '',
  };
}
