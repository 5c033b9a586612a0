// undici alone, for the bench's reference row: a bare script that sends the same two requests as
// floor-cancel-status.mjs (the cancel, then the batch's status on the same connection) with the parts
// of undici the action sends with (src/service/http.ts), bundled as dist/ is (npm run bench bundles
// it), and writes the same outputs. No settings, no checks, no report: what undici itself takes,
// against which the action and the node:https floor can both be read. undici loads in a chunk of
// its own after the start, as it does in dist/.
import { appendFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';

const { send } = await import(/* webpackChunkName: "requests" */ './requests.ts');
const cancel = await send('DELETE');
// As the action's client does: the connection is free for the status read after a turn.
await nextTurn();
const { body } = await send('GET');
// As the action does, it does not wait for the pool: undici lets go of an idle connection.
// The floor's outputs, in lines of its own: the floor loads nothing but Node's modules.
const outputs = {
  'job-id': body.id,
  status: cancel.body.status,
  total: body.summary?.total,
  cancelled: body.summary?.cancelled,
  'request-id': cancel.requestId,
};
for (const [name, value] of Object.entries(outputs))
  appendFileSync(process.env.GITHUB_OUTPUT ?? '', `${name}=${value ?? ''}\n`);
