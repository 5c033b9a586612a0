// The parts of undici the action sends requests with, imported one by one: undici's index loads all
// of undici (fetch, WebSocket, caches, mocks), which every start would pay for (about 40 ms).
import { setFlagsFromString } from 'node:v8';
import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import Agent from 'undici/lib/dispatcher/agent.js';

export type { Dispatcher };

interface RequestOptions {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** One request through `dispatcher`, as undici's `request(url, { dispatcher, … })` sends it. */
export function request(
  dispatcher: Dispatcher,
  url: URL,
  options: RequestOptions,
): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, {
    ...options,
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
  });
}

/** A header's value, the first when it came more than once. */
export function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Why a request got no answer, in undici's codes (ECONNREFUSED, UND_ERR_SOCKET, …). */
export function describeNetworkFailure(error: unknown): string {
  const failure = error as { code?: string; cause?: { code?: string }; message?: string };
  return [failure.code, failure.cause?.code].filter(Boolean).join('/') || failure.message || String(error);
}

/**
 * Waits for the socket of the answer just read to go back to the pool, before a request about the
 * same batch follows it at once (a status read after a cancel, a cancel after guard's check).
 * undici takes a socket back only after the tick in which its answer was read: a request sent in
 * that tick opens a second connection, with its handshakes on a real network (measured through
 * 20 ms of latency: 67 ms instead of 24 ms). Not before every request: with many batches in flight
 * the pool has sockets to spare, and a turn of the event loop before each of 1,000 cancels cost 70 ms.
 */
export function afterAnswer(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

// undici parses answers with llhttp compiled to WebAssembly. V8 starts it on its baseline compiler
// and, once a function has run for a budget of work (the default is spent by about two answers),
// compiles it again optimized on a background thread; a process that exits meanwhile waits for that
// compile, about 55 ms at the end of a run of a cancel and a status read. Ten times the budget keeps a
// run of a few requests on the baseline code; a bulk run spends it in a few dozen answers and is
// optimized as before. Set here, before the first connection instantiates the parser, it costs
// about 2 ms; set at the start of the process, the same flag cost 17 ms (measured, both on Node 24).
const WASM_TIERING_BUDGET = 130_000_000;

/**
 * One connection pool for the whole step. With HTTPS_PROXY or HTTP_PROXY (either case) set, every
 * request goes through the proxy, to Azure and to Entra, NO_PROXY honoured; the proxy agent loads
 * only then.
 */
export async function createDispatcher(): Promise<Dispatcher> {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  const options = { connect: { timeout: 10_000 } };
  if (!PROXY_VARIABLES.some((name) => process.env[name])) return new Agent(options);
  const { default: EnvHttpProxyAgent } = await import('undici/lib/dispatcher/env-http-proxy-agent.js');
  return new EnvHttpProxyAgent(options);
}
