// An HTTP forward proxy on loopback that records which hosts it carried traffic to: CONNECT tunnels
// (what undici's proxy agent opens) and absolute-form requests.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closeServer, listenOnLoopback } from '../../scripts/emulator/loopback-server.ts';

export class ForwardProxy {
  /** host:port of every connection or request it carried, in order. */
  readonly targets: string[] = [];
  readonly #tunnels = new Set<Socket>();
  #server?: Server;
  #url = '';

  get url(): string {
    return this.#url;
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const target = new URL(request.url ?? '');
      this.targets.push(target.host);
      const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    });
    server.on('connect', (request, socket, head) => {
      const [host = '', port = '80'] = (request.url ?? '').split(':');
      this.targets.push(`${host}:${port}`);
      const upstream = connect(Number(port), host, () => {
        this.#tunnels.add(socket as Socket).add(upstream);
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
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
