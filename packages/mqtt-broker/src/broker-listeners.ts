import type { Logger } from '@watershed/common';
import type { AdminHub } from './admin/hub.js';
import type { Accept } from './listeners/serve.js';
import { listenTcp } from './listeners/tcp.js';
import { listenTls } from './listeners/tls.js';
import { listenWs } from './listeners/ws.js';
import type { Listener, TcpListenOptions, TlsListenOptions, WsListenOptions } from './types.js';

/**
 * The broker's listeners: started on its `accept`, recorded for the operator's listener view,
 * and closed together at shutdown. A listener closed on its own leaves the set.
 */
export class BrokerListeners {
  readonly #accept: Accept;
  readonly #admin: AdminHub;
  readonly #logger: Logger;
  readonly #maxPacketSize: number;
  readonly #open = new Set<Listener>();

  constructor(accept: Accept, admin: AdminHub, logger: Logger, maxPacketSize: number) {
    this.#accept = accept;
    this.#admin = admin;
    this.#logger = logger;
    this.#maxPacketSize = maxPacketSize;
  }

  async tcp(opts: TcpListenOptions): Promise<Listener> {
    return this.#track(await listenTcp(this.#accept, opts), 'tcp', opts.name);
  }

  async tls(opts: TlsListenOptions): Promise<Listener> {
    return this.#track(await listenTls(this.#accept, opts, this.#logger), 'tls', opts.name);
  }

  async ws(opts: WsListenOptions): Promise<Listener> {
    const listener = await listenWs(this.#accept, opts, this.#maxPacketSize);
    return this.#track(listener, opts.tls ? 'wss' : 'ws', opts.name);
  }

  /** Stops accepting on every listener; resolves when all are closed. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((l) => l.close()));
    this.#open.clear();
  }

  #track(listener: Listener, type: 'tcp' | 'tls' | 'ws' | 'wss', name: string | undefined): Listener {
    this.#open.add(listener);
    const meta = this.#admin.listenerOpened({ type, name, host: listener.host, port: listener.port });
    return {
      port: listener.port,
      host: listener.host,
      close: async () => {
        this.#open.delete(listener);
        this.#admin.listenerClosed(meta);
        await listener.close();
      },
    };
  }
}
