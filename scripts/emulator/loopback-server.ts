// Starting and stopping the test's own HTTP servers on loopback.
import type { Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Listens on a free port of `host`; resolves to the server's base URL (https: for an HTTPS server). */
export async function listenOnLoopback(server: Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const scheme = server instanceof HttpsServer ? 'https' : 'http';
  return `${scheme}://${host}:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and every connection it still holds. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
