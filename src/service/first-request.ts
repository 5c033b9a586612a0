// When the step's first request has been sent, for main.ts to load what that request does not need
// (the report, @actions/core, GitHub) while its answer is on its way. undici says it on its
// diagnostics channel for every request the action sends itself (to the service, to Entra, for the
// OIDC token); the ledger's modes, whose first request is GitHub's, load the rest before it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

// undici's diagnostics channel for a request whose headers and body are sent.
const REQUEST_SENT = 'undici:request:bodySent';

/** Watches for the step's first request to be sent; `stop` ends the watch when no request came. */
export function watchFirstRequest(): { sent: Promise<void>; stop(): void } {
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = () => {
    unsubscribe(REQUEST_SENT, stop);
    resolve();
  };
  subscribe(REQUEST_SENT, stop);
  return { sent: promise, stop };
}
