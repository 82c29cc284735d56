/**
 * The remote side of a bridge for tests: Mosquitto with persistence, plus a checker subscriber
 * on a persistent session that records every message the remote delivers, duplicates included.
 *
 * Mosquitto only writes its persistence file on a clean shutdown here (autosave_interval 0), so
 * the checker's session (its subscription, no messages) is saved once at start by a clean
 * restart. After a SIGKILL the remote comes back from that snapshot: it still knows the checker
 * and queues for it whatever the bridge publishes before the checker is back, and it has no stale
 * in-flight messages of its own to redeliver, so any duplicate the checker sees came from the
 * bridge.
 */
import { waitFor } from '@watershed/common/testing';
import { randomUUID } from 'node:crypto';
import mqtt, { type IConnackPacket, type IPublishPacket, type MqttClient } from 'mqtt';
import { startMosquitto, type Mosquitto, type MosquittoOptions } from './mosquitto.js';

export interface CheckedMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly packet: IPublishPacket;
}

export class RemoteBroker {
  readonly mosquitto: Mosquitto;
  readonly received: CheckedMessage[] = [];
  #checker: MqttClient | undefined;

  private constructor(mosquitto: Mosquitto) {
    this.mosquitto = mosquitto;
  }

  /** `filter`: what the checker subscribes to (QoS 1). */
  static async start(filter = '#', opts: MosquittoOptions = {}): Promise<RemoteBroker> {
    const mosquitto = await startMosquitto({
      ...opts,
      extraConf: ['persistence true', 'autosave_interval 0', ...(opts.extraConf ?? [])],
    });
    const remote = new RemoteBroker(mosquitto);
    try {
      const first = await remote.#connectChecker();
      await first.subscribeAsync(filter, { qos: 1 });
      await first.endAsync();
      await mosquitto.terminate(); // writes the snapshot with the checker's session
      await mosquitto.restart();
      await remote.#connectChecker(true);
    } catch (err) {
      await remote.close();
      throw err;
    }
    return remote;
  }

  get url(): string {
    return this.mosquitto.url;
  }

  /** SIGKILL, as a crash or a power cut would: the checker's link dies with it. */
  async kill(): Promise<void> {
    await this.mosquitto.kill();
    await this.#dropChecker();
  }

  /** Restarts on the same port from the snapshot and reconnects the checker to its session. */
  async restart(): Promise<void> {
    await this.mosquitto.restart();
    await this.#connectChecker(true);
  }

  /**
   * A barrier: publishes a marker on `topic` (which the checker's filter must match) after
   * everything the remote has acknowledged so far, and resolves once the checker has it, so
   * every earlier message has reached the checker too (the remote delivers to one subscriber in
   * the order it accepted the messages, [MQTT-4.6.0-5]). The marker is removed from `received`.
   */
  async sync(topic: string, timeoutMs = 10_000): Promise<void> {
    const marker = `sync-${randomUUID()}`;
    const client = await mqtt.connectAsync(this.mosquitto.url, { reconnectPeriod: 0, connectTimeout: 5000 });
    try {
      await client.publishAsync(topic, marker, { qos: 1 });
    } finally {
      await client.endAsync();
    }
    const isMarker = (m: CheckedMessage): boolean => m.topic === topic && m.payload.toString() === marker;
    await waitFor(() => this.received.some(isMarker), {
      timeoutMs,
      message: 'the checker to see the sync marker',
    });
    this.received.splice(this.received.findIndex(isMarker), 1);
  }

  /** Messages the checker has seen on `topic`, or all. */
  payloads(topic?: string): string[] {
    return this.received
      .filter((m) => topic === undefined || m.topic === topic)
      .map((m) => m.payload.toString());
  }

  async close(): Promise<void> {
    await this.#dropChecker();
    await this.mosquitto.close();
  }

  async #connectChecker(expectSession = false): Promise<MqttClient> {
    const client = mqtt.connect(this.mosquitto.url, {
      clientId: 'bridge-checker',
      clean: false,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    // Attached before CONNACK: the remote sends queued messages right after it.
    client.on('message', (topic, payload, packet) => this.received.push({ topic, payload, packet }));
    this.#checker = client;
    const connack = await new Promise<IConnackPacket>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    if (expectSession && !connack.sessionPresent)
      throw new Error('the remote lost the checker session: the persistence snapshot was not restored');
    return client;
  }

  async #dropChecker(): Promise<void> {
    const c = this.#checker;
    this.#checker = undefined;
    await c?.endAsync(true);
  }
}
