// A connection for the step's first requests (the service's; for keyless sign-in, also GitHub's OIDC
// token service's and Microsoft Entra's), opened as soon as the settings name them and before the
// modes, the client and undici load (main.ts says which and when): its DNS lookup and handshakes
// start while they do, which over a real network is most of what loading them takes. Node's own net
// and tls open it, as undici would; undici's pool takes it for its first connection to that origin
// (http.ts). One that fails, or that nothing takes, changes nothing: undici connects as it always
// does, and says why it could not; one that did not open in time is undici's connect timeout.
import { connect, isIP, type Socket } from 'node:net';
import type { buildConnector } from 'undici';

/** How long a new connection may take, here and for undici's connectors (http.ts). */
export const CONNECT_TIMEOUT_MS = 10_000;
// As undici's connector: its TCP keep-alive.
const KEEP_ALIVE_DELAY_MS = 60_000;

/** Its handshakes did not end within CONNECT_TIMEOUT_MS. */
class NoConnectionInTime extends Error {}

/** How undici's pool opens a connection (undici/lib/core/connect.js), and what it names. */
export type Connector = buildConnector.connector;
type ConnectOptions = Pick<buildConnector.Options, 'protocol' | 'hostname' | 'port'>;

/** The origin undici connects to; both sides take the port from a URL, empty for the default one. */
function originOf({ protocol, hostname, port }: ConnectOptions): string {
  return `${protocol}//${hostname}:${port}`;
}

export class EarlyConnection {
  readonly #origin: string;
  readonly #socket: Promise<Socket>;
  #taken = false;
  #opened?: Socket;

  constructor(url: URL) {
    // undici names an IPv6 host without its brackets.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const options = { protocol: url.protocol, hostname, port: url.port };
    this.#origin = originOf(options);
    this.#socket = this.#open(options);
    // Not waited for here: a failure shows when undici connects again.
    this.#socket.catch(() => {});
  }

  async #open({ protocol, hostname, port }: ConnectOptions): Promise<Socket> {
    const https = protocol === 'https:';
    // Its lookup and TCP handshake go on while node:tls loads (8 to 15 ms).
    const tcp = connect({ host: hostname, port: Number(port) || (https ? 443 : 80) });
    // Until undici takes it, it keeps nothing waiting: a step that ends first ends as it would.
    tcp.unref().setKeepAlive(true, KEEP_ALIVE_DELAY_MS).setNoDelay(true);
    // node:tls at once (an import() would resolve only after the modes have loaded, and the
    // handshake with it); it is loaded for an https endpoint in any case. TLS over the TCP socket,
    // as undici's connector puts it over a proxy's tunnel.
    const socket = https
      ? process.getBuiltinModule('node:tls').connect({
          socket: tcp,
          // The name its certificate must carry.
          host: hostname,
          // As undici: an IP address is no server name.
          servername: isIP(hostname) ? undefined : hostname,
          // As undici by default: HTTP/2 where the service chooses it.
          ALPNProtocols: ['http/1.1', 'h2'],
        })
      : tcp;
    this.#opened = socket;
    const timer = setTimeout(() => socket.destroy(new NoConnectionInTime()), CONNECT_TIMEOUT_MS);
    timer.unref();
    // Over TLS, the TLS socket tells the TCP socket's errors, and destroying it closes both.
    await new Promise<void>((resolve, reject) => {
      socket.once(https ? 'secureConnect' : 'connect', resolve).once('error', reject);
    }).finally(() => clearTimeout(timer));
    return socket;
  }

  /**
   * undici's connector, but the first connection to this origin is this one when it opened. One that
   * did not open in time is undici's `timedOut` error at once (undici's connect would wait as long
   * again); one that failed otherwise leaves undici to connect, and to say why it could not.
   */
  connector(undiciConnect: Connector, timedOut: () => Error): Connector {
    return (options, callback) => {
      if (this.#taken || originOf(options) !== this.#origin) return undiciConnect(options, callback);
      this.#taken = true;
      // undici keeps a connection with a request in flight referenced, and takes this one as such.
      // One the service closed while it waited (during keyless sign-in's retries, say) is not handed
      // over: undici took it, connected again, and closed that connection after its first answer,
      // so the status read took a third connection, with its handshakes.
      this.#socket.then(
        (socket) => (socket.destroyed ? undiciConnect(options, callback) : callback(null, socket.ref())),
        (error) =>
          error instanceof NoConnectionInTime ? callback(timedOut(), null) : undiciConnect(options, callback),
      );
    };
  }

  /** Lets it go when nothing took it. */
  close(): void {
    if (!this.#taken) this.#opened?.destroy();
  }
}
