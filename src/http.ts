// The parts of undici the action sends requests with, imported one by one: undici's index loads all
// of undici (fetch, WebSocket, caches, mocks), which every start would pay for (about 40 ms).
import type { Dispatcher } from 'undici';
import apiRequest from 'undici/lib/api/api-request.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

export type { Dispatcher };

export interface RequestOptions {
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

/**
 * One connection pool for the whole step; HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) apply
 * to every request through it, to Azure and to Entra.
 */
export function createDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent({ connect: { timeout: 10_000 } });
}
