// An HTTP forward proxy on loopback that records which hosts it carried traffic to: CONNECT tunnels
// (what an HTTPS request through a proxy opens) and absolute-form requests (plain http:// through
// one). Like a company's TLS-inspecting proxy, it can open the tunnels to named hosts itself, with a
// certificate of its own CA (test/fixtures/tls/, trusted through NODE_EXTRA_CA_CERTS), and carry
// what it decrypts to a plain http:// emulator: so the action talks HTTPS to the real host names
// (`res.cognitiveservices.azure.com`, `login.microsoftonline.com`, `api.github.com`) on loopback.
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { closeServer, listenOnLoopback } from '../../scripts/emulator/loopback-server.ts';

const TLS_FIXTURES = new URL('../fixtures/tls/', import.meta.url);
/** The CA that signed the proxy's certificate: give it to the action as NODE_EXTRA_CA_CERTS. */
export const PROXY_CA_FILE = fileURLToPath(new URL('ca.pem', TLS_FIXTURES));

export interface ProxyOptions {
  /**
   * Hosts (a name, or `*.suffix`) whose tunnels the proxy ends itself, over TLS with its test
   * certificate, carrying the requests to the http:// origin given.
   */
  intercept?: Record<string, string>;
  /** `user:password` the proxy asks for (407 without it). */
  credentials?: string;
  /** Refuses every tunnel, with this status or by closing the connection. */
  refuse?: number | 'close';
}

function interceptedOrigin(intercept: Record<string, string>, host: string): string | undefined {
  for (const [pattern, origin] of Object.entries(intercept)) {
    const matches = pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern;
    if (matches) return origin;
  }
  return undefined;
}

export class ForwardProxy {
  /** host:port of every connection or request it carried, in order. */
  readonly targets: string[] = [];
  /** The Proxy-Authorization header of every request it got, in order ('' where there was none). */
  readonly authorizations: string[] = [];
  readonly #options: ProxyOptions;
  readonly #tunnels = new Set<Socket>();
  #server?: Server;
  #url = '';

  constructor(options: ProxyOptions = {}) {
    this.#options = options;
  }

  get url(): string {
    return this.#url;
  }

  /** Whether the request may pass; answers it (407, or the refusal asked for) when not. */
  #admits(request: IncomingMessage, socket: Socket): boolean {
    const { credentials, refuse } = this.#options;
    const authorization = request.headers['proxy-authorization'] ?? '';
    this.authorizations.push(authorization);
    if (credentials && authorization !== `Basic ${Buffer.from(credentials).toString('base64')}`) {
      socket.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n',
      );
      return false;
    }
    if (refuse === 'close') {
      socket.destroy();
      return false;
    }
    if (refuse !== undefined) {
      socket.end(`HTTP/1.1 ${refuse} Refused\r\nContent-Length: 0\r\n\r\n`);
      return false;
    }
    return true;
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      if (!this.#admits(request, request.socket)) return;
      const target = new URL(request.url ?? '');
      this.targets.push(target.host);
      const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    });
    server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (!this.#admits(request, socket)) return;
      const authority = request.url ?? '';
      const [host = '', port = '443'] = authority.split(':');
      this.targets.push(`${host}:${port}`);
      const origin = interceptedOrigin(this.#options.intercept ?? {}, host);
      const destination = origin ? new URL(origin) : new URL(`http://${authority}`);
      const upstream = connect(Number(destination.port), destination.hostname, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) socket.unshift(head);
        const client = origin
          ? new TLSSocket(socket, {
              isServer: true,
              key: readFileSync(new URL('proxy.key', TLS_FIXTURES)),
              cert: readFileSync(new URL('proxy.pem', TLS_FIXTURES)),
            })
          : socket;
        client.on('error', () => upstream.destroy());
        this.#tunnels.add(socket).add(client).add(upstream);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
    this.#server = server;
    this.#url = await listenOnLoopback(server);
    return this.#url;
  }

  async stop(): Promise<void> {
    for (const tunnel of this.#tunnels) tunnel.destroy();
    await closeServer(this.#server);
  }
}
