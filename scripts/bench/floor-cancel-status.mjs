// The floor for one cancel over a network: a bare script that reads the same inputs, sends the same
// DELETE with node:http (node:https for an https endpoint), then reads the batch's status for its
// counts on the same connection (as the action does: the cancel's answer carries zeros), and writes
// the outputs. Given a client-id, it signs in first as the action does keylessly: the workflow's
// OIDC token from GitHub's OIDC token service, exchanged at Microsoft Entra for an access token, one
// exchange after another. No validation, no retries, no policy.
import { appendFileSync } from 'node:fs';

const env = process.env;
const url = `${env.INPUT_ENDPOINT}/translator/document/batches/${env['INPUT_JOB-ID']}?api-version=${env['INPUT_API-VERSION']}`;
const { Agent, request } = await import(url.startsWith('https:') ? 'node:https' : 'node:http');
const agent = new Agent({ keepAlive: true });

function send(to, method, headers, body) {
  return new Promise((resolve, reject) => {
    const sent = request(to, { method, headers, agent }, (answer) => {
      const chunks = [];
      answer.on('data', (chunk) => chunks.push(chunk));
      answer.on('end', () =>
        resolve({
          body: JSON.parse(Buffer.concat(chunks).toString()),
          requestId: answer.headers['apim-request-id'],
        }),
      );
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

async function signIn() {
  const oidc = await send(`${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange`, 'GET', {
    authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}`,
  });
  const form = new URLSearchParams({
    client_id: env['INPUT_CLIENT-ID'],
    scope: 'https://cognitiveservices.azure.com/.default',
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: oidc.body.value,
  });
  const entra = await send(
    `${env['INPUT_AUTHORITY-HOST']}/${env['INPUT_TENANT-ID']}/oauth2/v2.0/token`,
    'POST',
    { 'content-type': 'application/x-www-form-urlencoded' },
    form.toString(),
  );
  return { authorization: `Bearer ${entra.body.access_token}` };
}

const headers = env['INPUT_CLIENT-ID']
  ? await signIn()
  : { 'ocp-apim-subscription-key': env['INPUT_SUBSCRIPTION-KEY'] };
const cancel = await send(url, 'DELETE', headers);
const { body } = await send(url, 'GET', headers);
agent.destroy();
const outputs = {
  'job-id': body.id,
  status: cancel.body.status,
  total: body.summary?.total,
  cancelled: body.summary?.cancelled,
  'request-id': cancel.requestId,
};
for (const [name, value] of Object.entries(outputs))
  appendFileSync(env.GITHUB_OUTPUT, `${name}=${value ?? ''}\n`);
