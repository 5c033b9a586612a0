// A network on loopback for the benchmark: a TCP relay in front of a server that adds a round trip
// to every exchange (half of it each way) and the handshakes' round trips to every new connection
// (TCP's, and TLS's on a real network), as a runner far from the service sees them. Bytes are
// relayed in order, each chunk after its delay; nothing is parsed. Its own sockets send each chunk
// at once (no Nagle): a network path does not hold a small segment back until the one before it is
// acknowledged. With Nagle on, an experiment's first request (its TLS handshake ended before undici
// wrote it) was answered 56 ms after it was sent instead of 23.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Relays one direction, each chunk `delayMs` after it came, never before `openAt` nor before the one ahead of it. */
function relay(from: Socket, to: Socket, delayMs: number, openAt: number): void {
  let lastAt = 0;
  const after = (send: () => void) => setTimeout(send, Math.max(0, lastAt - performance.now()));
  from.on('data', (chunk) => {
    lastAt = Math.max(performance.now() + delayMs, openAt, lastAt);
    after(() => to.write(chunk));
  });
  from.on('end', () => after(() => to.end()));
  from.on('close', () => after(() => to.destroy()));
  from.on('error', () => to.destroy());
}

export class DelayProxy {
  readonly #target: URL;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #url = '';

  /** In front of `target`: `roundTripMs` for each exchange, and `handshakes` round trips more before a new connection carries data. */
  constructor(target: string, roundTripMs: number, handshakes: number) {
    this.#target = new URL(target);
    this.#server = createServer((client) => {
      const openAt = performance.now() + handshakes * roundTripMs;
      const server = connect(Number(this.#target.port), this.#target.hostname);
      for (const socket of [client, server]) {
        socket.setNoDelay(true);
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
      }
      relay(client, server, roundTripMs / 2, openAt);
      relay(server, client, roundTripMs / 2, 0);
    });
  }

  /** The target's URL with the proxy's port. */
  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    const url = new URL(this.#target);
    url.port = String(typeof address === 'object' && address ? address.port : 0);
    this.#url = url.origin;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
