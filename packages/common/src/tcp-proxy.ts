import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy whose link can be cut and restored, for tests of what happens when the
 * network between two real peers fails (a firewall drop, a cable pulled).
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #host: string;

  constructor(target: { host?: string; port: number }, host = '127.0.0.1') {
    this.#target = { host: target.host ?? '127.0.0.1', port: target.port };
    this.#host = host;
  }

  get port(): number {
    return this.#port;
  }

  /** Starts accepting; on the first call port 0 picks a port, later calls reuse it. */
  async open(): Promise<number> {
    if (this.#server) return this.#port;
    const server = createServer((client) => {
      const upstream = createConnection(this.#target);
      this.#sockets.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.#sockets.delete(client);
        this.#sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, this.#host, () => resolve());
    });
    const addr = server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : this.#port;
    this.#server = server;
    return this.#port;
  }

  /** Cuts every connection and stops accepting new ones until `open()`. */
  async cut(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
