// A workflow that Microsoft Entra trusts for keyless sign-in, as the end-to-end tests play it: the
// identity emulator (GitHub's OIDC token service and Entra) for it, and the inputs that sign in as it.
import { IdentityEmulator } from '../../scripts/emulator/identity.ts';

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const TENANT_ID = '66666666-7777-4888-9999-000000000000';
const SUBJECT = 'repo:octo/app:pull_request';

/** The identity emulator for a workflow Entra trusts, handing out `accessToken`; started by the caller. */
export function trustedIdentity(accessToken: string): IdentityEmulator {
  return new IdentityEmulator({
    subject: SUBJECT,
    trustedSubjects: [SUBJECT],
    clientId: CLIENT_ID,
    tenantId: TENANT_ID,
    accessToken,
  });
}

/** The inputs that sign in as that workflow, at `identity`. */
export function keylessInputs(identity: IdentityEmulator): Record<string, string> {
  return { 'client-id': CLIENT_ID, 'tenant-id': TENANT_ID, 'authority-host': identity.url };
}
