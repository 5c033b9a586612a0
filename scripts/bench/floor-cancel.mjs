// The floor for one cancel: a bare script that reads the same inputs, sends the same DELETE with
// fetch, and writes the outputs. No validation, no retries, no policy.
import { appendFileSync } from 'node:fs';

const id = process.env['INPUT_JOB-ID'];
const answer = await fetch(
  `${process.env.INPUT_ENDPOINT}/translator/document/batches/${id}?api-version=${process.env['INPUT_API-VERSION']}`,
  { method: 'DELETE', headers: { 'ocp-apim-subscription-key': process.env['INPUT_SUBSCRIPTION-KEY'] } },
);
const body = await answer.json();
const outputs = {
  'job-id': id,
  status: body.status,
  total: body.summary?.total,
  'request-id': answer.headers.get('apim-request-id'),
};
for (const [name, value] of Object.entries(outputs))
  appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value ?? ''}\n`);
