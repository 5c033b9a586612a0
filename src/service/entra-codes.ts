// What Microsoft Entra's refusals of keyless sign-in mean, by the code that says what is wrong: the
// first of the answer's `error_codes` (AADSTS…), not its HTTP status, which is 400 or 401 for all of
// them. The README's troubleshooting table lists the same codes (a test keeps the two together).

/** What the advice on a refusal can name. */
export interface RefusalContext {
  clientId: string;
  tenantId: string;
  /** The subject, issuer and audience of the workflow's OIDC token, in a sentence, never the token. */
  claims: string;
}

interface Refusal {
  /** What Entra means, in a few words. */
  meaning: string;
  /** Which input or Azure setting to check. */
  fix: (context: RefusalContext) => string;
}

const NO_FEDERATED_MATCH: Refusal = {
  meaning: "no federated credential of the application matches the workflow's token",
  fix: ({ claims }) =>
    `${claims} Add a federated credential with exactly that issuer and subject, and audience api://AzureADTokenExchange, to the application (Certificates & secrets, Federated credentials).`,
};

const ENTRA_CODES: Record<number, Refusal> = {
  70021: NO_FEDERATED_MATCH,
  700213: NO_FEDERATED_MATCH,
  700211: {
    meaning: "no federated credential of the application has the issuer of the workflow's token",
    fix: ({ claims }) =>
      `${claims} The federated credential's issuer must be exactly the token's (https://token.actions.githubusercontent.com, or with your enterprise's slug where it customises the issuer).`,
  },
  700212: {
    meaning: "no federated credential of the application has the audience of the workflow's token",
    fix: ({ claims }) => `${claims} Set the federated credential's audience to api://AzureADTokenExchange.`,
  },
  70025: {
    meaning: 'the application has no federated credentials',
    fix: ({ claims, clientId }) =>
      `Add a federated credential to the application ${clientId} (Certificates & secrets, Federated credentials). ${claims}`,
  },
  700016: {
    meaning: 'no application with this client-id in this tenant',
    fix: ({ clientId, tenantId }) =>
      `Check client-id (${clientId}): it must be the Application (client) ID of the app registration, or the Client ID of the managed identity, that lives in tenant-id's tenant (${tenantId}); copy both from its Overview page.`,
  },
  90002: {
    meaning: 'no such tenant',
    fix: ({ tenantId }) =>
      `Check tenant-id (${tenantId}): it must be the Directory (tenant) ID from the app registration's Overview page, in the cloud of the endpoint (authority-host for another one).`,
  },
  900023: {
    meaning: 'tenant-id is not a tenant id or domain',
    fix: ({ tenantId }) =>
      `Check tenant-id (${tenantId}): give the Directory (tenant) ID, a GUID, from the app registration's Overview page.`,
  },
  700024: {
    meaning: "the workflow's token is outside its valid time range",
    fix: () =>
      "The token is requested just before the sign-in, so the runner's clock is likely off (a self-hosted runner): set its time right, then run the job again.",
  },
  7000112: {
    meaning: 'the application is disabled',
    fix: ({ clientId }) =>
      `Enable the application ${clientId} in Microsoft Entra ID, or use another client-id.`,
  },
  53003: {
    meaning: 'a Conditional Access policy blocked the sign-in',
    fix: () =>
      "Ask your Microsoft Entra administrator to let this workload identity sign in from GitHub's runners.",
  },
  70011: {
    meaning: 'the scope asked for is not valid in this tenant or cloud',
    fix: () =>
      "The scope follows the endpoint's cloud: check that the endpoint, and authority-host if you set it, are in the same Azure cloud as the tenant.",
  },
};

/** The codes the table knows, for the README's check. */
export const KNOWN_ENTRA_CODES: readonly number[] = Object.keys(ENTRA_CODES).map(Number);

/** What a refusal with `code` means and what to check; undefined for a code the table does not know. */
export function explainRefusal(code: number | undefined, context: RefusalContext): string | undefined {
  const refusal = code === undefined ? undefined : ENTRA_CODES[code];
  return refusal && `AADSTS${code}: ${refusal.meaning}. ${refusal.fix(context)}`;
}
