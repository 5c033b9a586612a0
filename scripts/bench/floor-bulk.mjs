// The floor for a bulk cleanup: a bare script that lists the stale batches across every page with
// fetch, then cancels them with 16 requests in flight, and writes the outputs.
import { appendFileSync } from 'node:fs';

const endpoint = process.env.INPUT_ENDPOINT;
const headers = { 'ocp-apim-subscription-key': process.env['INPUT_SUBSCRIPTION-KEY'] };
const before = new Date(Date.now() - 3_600_000).toISOString();
const ids = [];
let next = `${endpoint}/translator/document/batches?api-version=2024-05-01&statuses=NotStarted,Running&createdDateTimeUtcEnd=${before}&maxpagesize=100`;
while (next) {
  const page = await (await fetch(next, { headers })).json();
  for (const batch of page.value) ids.push(batch.id);
  // The live service names the page link @nextLink; the spec, nextLink.
  next = page['@nextLink'] ?? page.nextLink;
}
const statuses = new Array(ids.length);
let index = 0;
async function worker() {
  for (let i = index++; i < ids.length; i = index++) {
    const answer = await fetch(`${endpoint}/translator/document/batches/${ids[i]}?api-version=2024-05-01`, {
      method: 'DELETE',
      headers,
    });
    statuses[i] = (await answer.json()).status;
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
appendFileSync(process.env.GITHUB_OUTPUT, `job-id=${ids.join(',')}\nstatus=${statuses[0] ?? ''}\n`);
