/**
 * Test support for this package's suites: a broker on a loopback port, mqtt.js clients that
 * are closed afterwards, an inbox that awaits messages, raw sockets speaking mqtt-packet, and
 * polling with a deadline (no fixed sleeps).
 */
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { generate, parser as createParser, type Packet } from 'mqtt-packet';
import { connect as netConnect, type Socket } from 'node:net';
import { MqttBroker } from './broker.js';
import type { BrokerOptions } from './types.js';

export interface Received {
  topic: string;
  payload: Buffer;
  packet: IPublishPacket;
}

export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Collects a client's messages; `next` resolves with the first unread one matching. */
export class Inbox {
  readonly all: Received[] = [];
  #read = 0;

  constructor(client: MqttClient) {
    client.on('message', (topic, payload, packet) => this.all.push({ topic, payload, packet }));
  }

  async next(what = 'a message', timeoutMs = 5000): Promise<Received> {
    await until(() => this.all.length > this.#read, what, timeoutMs);
    return this.all[this.#read++]!;
  }

  get unread(): number {
    return this.all.length - this.#read;
  }
}

export interface Harness {
  readonly broker: MqttBroker;
  readonly port: number;
  connect(opts?: IClientOptions): Promise<MqttClient>;
  /** Connects with an inbox attached before CONNACK, for messages the broker sends right after it. */
  connectWithInbox(opts?: IClientOptions): Promise<{ client: MqttClient; inbox: Inbox }>;
  raw(): Promise<RawClient>;
  close(): Promise<void>;
}

export async function startHarness(opts: BrokerOptions = {}): Promise<Harness> {
  // $SYS status topics are off unless a test asks, so retained counts are the test's own.
  const broker = new MqttBroker({ sysIntervalMs: 0, ...opts });
  const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
  const clients: MqttClient[] = [];
  const raws: RawClient[] = [];
  return {
    broker,
    port: listener.port,
    async connect(o: IClientOptions = {}) {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${listener.port}`, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...o,
      });
      clients.push(client);
      return client;
    },
    async connectWithInbox(o: IClientOptions = {}) {
      const client = mqtt.connect(`mqtt://127.0.0.1:${listener.port}`, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...o,
      });
      clients.push(client);
      const inbox = new Inbox(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      return { client, inbox };
    },
    async raw() {
      const r = await RawClient.open(listener.port);
      raws.push(r);
      return r;
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      for (const r of raws) r.destroy();
      await broker.close();
    },
  };
}

/** A hand-driven client: writes packets or raw bytes, reads what the broker answers. */
export class RawClient {
  readonly packets: Packet[] = [];
  closed = false;
  readonly #socket: Socket;
  readonly #settings: { protocolVersion: number } = { protocolVersion: 4 };
  #read = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    const parser = createParser(this.#settings);
    parser.on('packet', (p) => this.packets.push(p));
    socket.on('data', (d) => parser.parse(d));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawClient> {
    const socket = netConnect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  send(packet: Packet): void {
    if (packet.cmd === 'connect') this.#settings.protocolVersion = packet.protocolVersion ?? 4;
    this.#socket.write(generate(packet, this.#settings));
  }

  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  async connect(clientId: string, extra: Partial<Packet & { cmd: 'connect' }> = {}): Promise<Packet> {
    this.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 0,
      clientId,
      ...extra,
    });
    return this.next('CONNACK');
  }

  async next(what = 'a packet', timeoutMs = 5000): Promise<Packet> {
    await until(() => this.packets.length > this.#read, what, timeoutMs);
    return this.packets[this.#read++]!;
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await until(() => this.closed, 'the broker to close the socket', timeoutMs);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /** Stops reading, so the broker's writes back up (slow consumer). */
  pause(): void {
    this.#socket.pause();
  }
}
