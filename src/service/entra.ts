// Keyless sign-in: the workflow's OIDC token from GitHub, exchanged at Microsoft Entra ID for an
// access token to Cognitive Services (workload identity federation). Loaded only when client-id is
// set. Both requests go through the step's connections and proxy, and a transient failure (429, a
// 5xx, no answer) is retried under the step's retries and timeout, as the service's requests are.

import * as z from 'zod/mini';
import type { FederatedCredential } from '../common/credential.ts';
import { plural } from '../common/numbers.ts';
import { serviceText } from '../common/service-text.ts';
import { SignInError } from '../common/user-errors.ts';
import { explainRefusal } from './entra-codes.ts';
import type { Attempt, Connections } from './http.ts';
import { type Failure, saysItsOwnFix } from './http-failure.ts';
import { parseJson } from './json.ts';
import { attemptLimits, describeAttempt, type RequestLimits, type Retried, retrying } from './retry.ts';

const OIDC_AUDIENCE = 'api://AzureADTokenExchange';
// Entra's own words are printed up to this many characters.
const ENTRA_TEXT_LIMIT = 400;

/** What signing in works with. */
export interface SignInContext {
  connections: Connections;
  limits: RequestLimits;
  userAgent: string;
  /** Where the runner hands out the workflow's OIDC token; undefined when the job has none. */
  oidc: { url: string; token: string } | undefined;
  /** Masks a token as it arrives, before anything can print it. */
  mask: (secret: string) => void;
}

/** Where the sign-in went and for what, so that a user in a sovereign cloud can check it. */
export function describeSignIn(credential: FederatedCredential): string {
  const { cloud, scope, authorityHost, authorityGiven } = credential;
  const authority = authorityGiven ? `${authorityHost} (authority-host)` : authorityHost;
  return `the ${cloud}, assumed from the endpoint's domain: scope ${scope} at ${authority}`;
}

const OidcTokenSchema = z.object({ value: z.string().check(z.minLength(1)) });
const TokenSchema = z.object({ access_token: z.string().check(z.minLength(1)) });
const EntraErrorSchema = z.object({
  error: z.string(),
  error_description: z.optional(z.string()),
  error_codes: z.optional(z.array(z.number())),
  trace_id: z.optional(z.string()),
  correlation_id: z.optional(z.string()),
});
const ClaimsSchema = z.object({
  sub: z.optional(z.string()),
  iss: z.optional(z.string()),
  aud: z.optional(z.union([z.string(), z.array(z.string())])),
});

/** The claims a federated credential is matched on; never the token itself. */
function describeClaims(jwt: string): string {
  const payload = jwt.split('.')[1] ?? '';
  const claims = ClaimsSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!claims.success) return "The workflow's OIDC token could not be read.";
  const { sub, iss, aud } = claims.data;
  return `The workflow's OIDC token has subject ${JSON.stringify(sub)}, issuer ${JSON.stringify(iss)} and audience ${JSON.stringify(Array.isArray(aud) ? aud.join(' ') : aud)}.`;
}

/** Why a request got no usable answer after its retries, as a clause; undefined when an answer came. */
function noAnswer(retried: Retried<Attempt>, limits: RequestLimits): { text: string; failure?: Failure } {
  const { last, attempts, stoppedBy } = retried;
  const tries = plural(attempts, 'attempt');
  const ranOut = stoppedBy === 'timeout' ? `, when ${limits.deadline.describe()} ran out` : '';
  if (!last) return { text: `no request could be sent before ${limits.deadline.describe()} ran out` };
  const said = 'failure' in last ? last.failure.text : describeAttempt(last);
  return { text: `${said} (after ${tries}${ranOut})`, failure: 'failure' in last ? last.failure : undefined };
}

/**
 * What to check after a sign-in request got no answer, as a clause: the runner's proxy when it was
 * the proxy's failure, nothing more when the failure says its own fix, else `otherwise`.
 */
function whatToCheck(failure: Failure | undefined, otherwise: string): string {
  if (failure?.proxy) return `; check the runner's proxy (${failure.proxy}) and NO_PROXY`;
  if (failure && saysItsOwnFix(failure)) return '';
  return `; ${otherwise}`;
}

async function send(
  context: SignInContext,
  what: string,
  url: URL,
  exchange: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<Retried<Attempt>> {
  const { connections, limits, userAgent } = context;
  const headers = { accept: 'application/json', 'user-agent': userAgent, ...exchange.headers };
  const retried = await retrying(what, limits, () =>
    connections.send(url, { ...exchange, headers }, attemptLimits(limits)),
  );
  if (retried.stoppedBy === 'interrupt') {
    throw new SignInError(`The runner cancelled the step during keyless sign-in, at ${url.host}.`, {
      interrupted: true,
    });
  }
  return retried;
}

/** The workflow's OIDC token for Microsoft Entra, masked as it arrives. */
async function requestOidcToken(context: SignInContext): Promise<string> {
  if (!context.oidc) {
    throw new SignInError(
      "Keyless sign-in needs the workflow's OIDC token, and this job has none: add `permissions: id-token: write` to the job. A pull_request from a fork never gets one; use a key there.",
    );
  }
  const url = new URL(context.oidc.url);
  url.searchParams.set('audience', OIDC_AUDIENCE);
  const retried = await send(context, "The workflow's OIDC token", url, {
    method: 'GET',
    headers: { authorization: `Bearer ${context.oidc.token}` },
  });
  const answer = retried.last && 'answer' in retried.last ? retried.last.answer : undefined;
  const token = answer?.status === 200 ? OidcTokenSchema.safeParse(parseJson(answer.body)) : undefined;
  if (token?.success) {
    context.mask(token.data.value);
    return token.data.value;
  }
  const where = `GitHub's OIDC token service (${url.host})`;
  if (!answer || retried.stoppedBy) {
    const { text, failure } = noAnswer(retried, context.limits);
    const check = whatToCheck(failure, 'run the job again');
    throw new SignInError(`Could not get the workflow's OIDC token from ${where}: ${text}${check}.`);
  }
  if (answer.status === 200) {
    throw new SignInError(`${where} answered without a token: run the job again.`);
  }
  throw new SignInError(
    `${where} refused the workflow's OIDC token request with HTTP ${answer.status}: check the job's \`permissions: id-token: write\`, then run the job again.`,
  );
}

/** Exchanges the workflow's OIDC token for an access token to Cognitive Services, masked as it arrives. */
async function exchangeOidcToken(
  credential: FederatedCredential,
  oidcToken: string,
  context: SignInContext,
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
  const retried = await send(context, 'Keyless sign-in', url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const signedInTo = `Signing in to ${describeSignIn(credential)}.`;
  const answer = retried.last && 'answer' in retried.last ? retried.last.answer : undefined;
  if (!answer) {
    const { text, failure } = noAnswer(retried, context.limits);
    const check = whatToCheck(failure, "check authority-host and the runner's network");
    throw new SignInError(`Keyless sign-in got no answer from ${url.host}: ${text}${check}. ${signedInTo}`);
  }
  const token = TokenSchema.safeParse(parseJson(answer.body));
  if (answer.status === 200 && token.success) {
    context.mask(token.data.access_token);
    return token.data.access_token;
  }

  const who = `as client-id ${clientId} in tenant ${tenantId}`;
  const refusal = EntraErrorSchema.safeParse(parseJson(answer.body));
  if (!refusal.success) {
    const after = retried.stoppedBy ? ` (${noAnswer(retried, context.limits).text})` : '';
    throw new SignInError(
      `Keyless sign-in ${who} failed: ${url.host} answered HTTP ${answer.status}${after} without a Microsoft Entra answer; check authority-host. ${signedInTo}`,
    );
  }
  const {
    error,
    error_description: description,
    error_codes: codes,
    trace_id,
    correlation_id,
  } = refusal.data;
  const ids = `trace id ${serviceText(trace_id ?? 'none', 60)}, correlation id ${serviceText(correlation_id ?? 'none', 60)}`;
  const code = codes?.[0] ?? Number(/AADSTS(\d+)/.exec(description ?? '')?.[1] ?? Number.NaN);
  const claims = describeClaims(oidcToken);
  const explained = explainRefusal(Number.isNaN(code) ? undefined : code, { clientId, tenantId, claims });
  const said =
    explained ?? `${serviceText((description ?? error).split(/\r?\n/)[0] ?? '', ENTRA_TEXT_LIMIT)} ${claims}`;
  throw new SignInError(
    `Microsoft Entra refused the sign-in ${who} (HTTP ${answer.status}): ${said} (${ids}) ${signedInTo}`,
  );
}

/** An access token to Cognitive Services for the federated credential, by keyless sign-in. */
export async function signIn(credential: FederatedCredential, context: SignInContext): Promise<string> {
  const oidcToken = await requestOidcToken(context);
  return exchangeOidcToken(credential, oidcToken, context);
}
