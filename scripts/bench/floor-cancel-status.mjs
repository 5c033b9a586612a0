// The floor for one cancel over a network: a bare script that reads the same inputs, sends the same
// DELETE with node:http (node:https for an https endpoint), then reads the batch's status for its
// counts on the same connection (as the action does: the cancel's answer carries zeros), and writes
// the outputs. No validation, no retries, no policy.
import { appendFileSync } from 'node:fs';

const url = `${process.env.INPUT_ENDPOINT}/translator/document/batches/${process.env['INPUT_JOB-ID']}?api-version=${process.env['INPUT_API-VERSION']}`;
const { Agent, request } = await import(url.startsWith('https:') ? 'node:https' : 'node:http');
const agent = new Agent({ keepAlive: true });
const headers = { 'ocp-apim-subscription-key': process.env['INPUT_SUBSCRIPTION-KEY'] };

function send(method) {
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
    sent.end();
  });
}

const cancel = await send('DELETE');
const { body } = await send('GET');
agent.destroy();
const outputs = {
  'job-id': body.id,
  status: cancel.body.status,
  total: body.summary?.total,
  cancelled: body.summary?.cancelled,
  'request-id': cancel.requestId,
};
for (const [name, value] of Object.entries(outputs))
  appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value ?? ''}\n`);
