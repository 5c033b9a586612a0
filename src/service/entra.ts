// Keyless sign-in: the workflow's OIDC token, exchanged at Microsoft Entra ID for an access token to
// Cognitive Services (workload identity federation). Loaded only when client-id is set.

import * as z from 'zod/mini';
import type { FederatedCredential } from '../common/types.ts';
import { SignInError } from '../common/user-errors.ts';
import { type Dispatcher, request } from './http.ts';
import { parseJson } from './json.ts';

export const OIDC_AUDIENCE = 'api://AzureADTokenExchange';
const TOKEN_TIMEOUT_MS = 30_000;

/** Where the sign-in went and for what, so that a user in a sovereign cloud can check it. */
export function describeSignIn(credential: FederatedCredential): string {
  const { cloud, scope, authorityHost, authorityGiven } = credential;
  const authority = authorityGiven ? `${authorityHost} (authority-host)` : authorityHost;
  return `the ${cloud}, assumed from the endpoint's domain: scope ${scope} at ${authority}`;
}

const TokenSchema = z.object({ access_token: z.string().check(z.minLength(1)) });
const EntraErrorSchema = z.object({
  error: z.string(),
  error_description: z.optional(z.string()),
  trace_id: z.optional(z.string()),
  correlation_id: z.optional(z.string()),
});
const ClaimsSchema = z.object({
  sub: z.optional(z.string()),
  iss: z.optional(z.string()),
  aud: z.optional(z.union([z.string(), z.array(z.string())])),
});

/** How the token request is sent: through the step's pool and proxy, stopping on the runner's cancel. */
interface TokenRequestOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  interrupt: AbortSignal;
}

/** The claims a federated credential is matched on; never the token itself. */
function describeClaims(jwt: string): string {
  const payload = jwt.split('.')[1] ?? '';
  const claims = ClaimsSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!claims.success) return "The workflow's OIDC token could not be read.";
  const { sub, iss, aud } = claims.data;
  return `The workflow's OIDC token has subject ${JSON.stringify(sub)}, issuer ${JSON.stringify(iss)} and audience ${JSON.stringify(Array.isArray(aud) ? aud.join(' ') : aud)}: the app registration needs a federated credential with exactly that issuer and subject.`;
}

/** Exchanges the workflow's OIDC token for an access token to Cognitive Services. */
export async function exchangeOidcToken(
  credential: FederatedCredential,
  oidcToken: string,
  { dispatcher, userAgent, interrupt }: TokenRequestOptions,
): Promise<string> {
  const { clientId, tenantId, authorityHost, scope } = credential;
  const url = new URL(`${authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`);
  const form = new URLSearchParams({
    client_id: clientId,
    scope,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: oidcToken,
  });
  let status: number;
  let body: string;
  try {
    const response = await request(dispatcher, url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': userAgent,
      },
      body: form.toString(),
      signal: AbortSignal.any([AbortSignal.timeout(TOKEN_TIMEOUT_MS), interrupt]),
    });
    status = response.statusCode;
    body = await response.body.text();
  } catch (error) {
    if (interrupt.aborted)
      throw new SignInError(`The runner cancelled the step during keyless sign-in at ${url.host}.`);
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new SignInError(
      `Keyless sign-in got no answer from ${url.host} (${code}): check authority-host and the runner's network. Signing in to ${describeSignIn(credential)}.`,
    );
  }

  const token = TokenSchema.safeParse(parseJson(body));
  if (status === 200 && token.success) return token.data.access_token;

  const who = `as client-id ${clientId} in tenant ${tenantId}`;
  const refusal = EntraErrorSchema.safeParse(parseJson(body));
  if (!refusal.success) {
    throw new SignInError(
      `Keyless sign-in ${who} failed: ${url.host} answered HTTP ${status} without a Microsoft Entra answer; check authority-host. Signing in to ${describeSignIn(credential)}.`,
    );
  }
  const {
    error,
    error_description: description,
    trace_id: traceId,
    correlation_id: correlationId,
  } = refusal.data;
  const firstLine = (description ?? error).split(/\r?\n/)[0];
  throw new SignInError(
    `Microsoft Entra refused the sign-in ${who}: ${firstLine} (trace id ${traceId ?? 'none'}, correlation id ${correlationId ?? 'none'}). ${describeClaims(oidcToken)} Signed in to ${describeSignIn(credential)}.`,
  );
}
