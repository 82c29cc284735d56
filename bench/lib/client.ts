import { connect, type Socket } from 'node:net';
import { FrameReader, PacketType, connectPacket, subscribePacket, type FrameHandler } from './frames.js';

const HANDSHAKE_TIMEOUT_MS = 15_000;
/**
 * One receive buffer shared by every generator socket (net `onread`): reads land in it without
 * a Buffer allocation or a stream 'data' event per read, which with 1,000 subscribers is most of
 * the generator's cost. Safe because each read is consumed synchronously (FrameReader copies
 * a partial frame before the next read overwrites the buffer).
 */
const RECEIVE_BUFFER = Buffer.allocUnsafe(256 * 1024);
const ignore: FrameHandler = () => undefined;

/**
 * One load-generator connection: a raw socket (TCP_NODELAY) and a frame splitter. The
 * handshake (CONNECT/CONNACK, SUBSCRIBE/SUBACK) is awaited; after it, frames go to the
 * handler the scenario installs. The client owns its socket; `close` destroys it.
 */
export class RawClient {
  readonly socket: Socket;
  #handler: FrameHandler = ignore;
  #waiter: { type: number; resolve: () => void; reject: (e: Error) => void } | undefined;
  #error: Error | undefined;
  /** Set when the socket closed before `close` was called: the broker dropped us. */
  droppedByBroker = false;
  #closing = false;

  private constructor(port: number) {
    const reader = new FrameReader((first, buf, body, end) => {
      const w = this.#waiter;
      if (w && first >> 4 === w.type) {
        this.#waiter = undefined;
        w.resolve();
        return;
      }
      this.#handler(first, buf, body, end);
    });
    const socket = connect({
      host: '127.0.0.1',
      port,
      noDelay: true,
      onread: {
        buffer: RECEIVE_BUFFER,
        callback: (n: number, buf: Uint8Array) => {
          reader.push((buf as Buffer).subarray(0, n));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => {
      if (!this.#closing) this.droppedByBroker = true;
      this.#fail(new Error('connection closed by broker'));
    });
  }

  /** Connects and completes CONNECT/CONNACK (clean session, keep alive off). */
  static async open(port: number, clientId: string): Promise<RawClient> {
    const client = new RawClient(port);
    const socket = client.socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const acked = client.#awaitPacket(PacketType.CONNACK);
    socket.write(connectPacket(clientId));
    await acked;
    return client;
  }

  async subscribe(filter: string, qos: 0 | 1): Promise<void> {
    const acked = this.#awaitPacket(PacketType.SUBACK);
    this.socket.write(subscribePacket(filter, qos));
    await acked;
  }

  onFrame(handler: FrameHandler): void {
    this.#handler = handler;
  }

  write(buf: Buffer): boolean {
    return this.socket.write(buf);
  }

  close(): void {
    this.#closing = true;
    this.socket.destroy();
  }

  #awaitPacket(type: number): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no reply of type ${type} within ${HANDSHAKE_TIMEOUT_MS} ms`));
      }, HANDSHAKE_TIMEOUT_MS);
      this.#waiter = {
        type,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  #fail(err: Error): void {
    this.#error ??= err;
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.reject(err);
  }
}

/**
 * Opens up to `count` clients with at most `parallel` handshakes in flight (listen backlogs are
 * finite), pushing each into `opened` so the caller can close them whatever happens. Stops at
 * the first failure (out of file descriptors or ports) and returns it.
 */
export async function openMany(
  count: number,
  parallel: number,
  open: (i: number) => Promise<RawClient>,
  opened: RawClient[],
): Promise<Error | undefined> {
  let next = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && !failure) {
      const i = next++;
      try {
        opened.push(await open(i));
      } catch (err) {
        failure ??= err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return failure;
}

export function closeAll(clients: Iterable<RawClient>): void {
  for (const c of clients) c.close();
}

/** Resolves when `done()` holds, polling every `stepMs`, or after `timeoutMs` (returns false). */
export async function until(done: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
