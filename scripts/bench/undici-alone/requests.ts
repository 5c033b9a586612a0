// The requests of undici-alone/index.ts, through the modules of undici that src/service/http.ts
// imports, with its parser made as the action makes it (src/service/http-parser.ts, loaded for that:
// without it, the exit waits for the parser's optimization).
import apiRequest from 'undici/lib/api/api-request.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import '../../../src/service/http-parser.ts';

const url = new URL(
  `${process.env.INPUT_ENDPOINT}/translator/document/batches/${process.env['INPUT_JOB-ID']}?api-version=${process.env['INPUT_API-VERSION']}`,
);
const headers = { 'ocp-apim-subscription-key': process.env['INPUT_SUBSCRIPTION-KEY'] ?? '' };

const agent = new Agent();

export async function send(
  method: 'DELETE' | 'GET',
): Promise<{ body: { id?: string; status?: string; summary?: Record<string, number> }; requestId: unknown }> {
  const answer = await apiRequest.call(agent, {
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
  });
  return { body: JSON.parse(await answer.body.text()), requestId: answer.headers['apim-request-id'] };
}
