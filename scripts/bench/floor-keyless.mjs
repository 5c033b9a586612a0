// The floor for one keyless cancel over a network: a bare script that signs in as the action does
// (the workflow's OIDC token from GitHub's OIDC token service, exchanged at Microsoft Entra for an
// access token), then sends the same DELETE and reads the batch's status on the same connection,
// with node:http (node:https for https URLs), one exchange after another, and writes the outputs.
// No validation, no retries, no policy.
import { appendFileSync } from 'node:fs';

const env = process.env;
const endpoint = `${env.INPUT_ENDPOINT}/translator/document/batches/${env['INPUT_JOB-ID']}?api-version=${env['INPUT_API-VERSION']}`;
const oidcUrl = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange`;
const entraUrl = `${env['INPUT_AUTHORITY-HOST']}/${env['INPUT_TENANT-ID']}/oauth2/v2.0/token`;
const { Agent, request } = await import(endpoint.startsWith('https:') ? 'node:https' : 'node:http');
const agent = new Agent({ keepAlive: true });

function send(url, method, headers, body) {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers, agent }, (answer) => {
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

const oidc = await send(oidcUrl, 'GET', { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` });
const form = new URLSearchParams({
  client_id: env['INPUT_CLIENT-ID'],
  scope: 'https://cognitiveservices.azure.com/.default',
  grant_type: 'client_credentials',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: oidc.body.value,
});
const entra = await send(
  entraUrl,
  'POST',
  { 'content-type': 'application/x-www-form-urlencoded' },
  form.toString(),
);
const headers = { authorization: `Bearer ${entra.body.access_token}` };
const cancel = await send(endpoint, 'DELETE', headers);
const { body } = await send(endpoint, 'GET', headers);
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
