import type { Logger } from '@watershed/common';
import mqtt, { ErrorWithReasonCode, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { MqttBridgeErrors } from './errors.js';
import type { OutboundMessage } from './row-message.js';

/** PUBACK reason codes a resend cannot fix (MQTT 5 §3.4.2.1): counted failed, not retried. */
const PERMANENT_REASONS = new Set([
  0x87, // Not authorized
  0x90, // Topic Name invalid
  0x99, // Payload format invalid
]);

interface Pending {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * One connection to the remote broker at a time, opened on demand and dropped on any failure.
 *
 * mqtt.js keeps unacknowledged QoS 1 publishes of a persistent session and resends them itself
 * after a reconnect, and never settles their callbacks when the link drops. Both would fight the
 * sink's own retry (double sends, batches that hang), so a link here is never reused: when it
 * closes every pending publish is rejected and the next attempt makes a fresh client, with the
 * same client id so the remote still has our session.
 */
export class MqttLink {
  readonly #name: string;
  readonly #url: string;
  readonly #options: IClientOptions;
  readonly #logger: Logger;
  readonly #pending = new Set<Pending>();
  #client: MqttClient | undefined;
  #lastError: string | undefined;
  #receiveMaximum = 65535;

  constructor(name: string, url: string, options: IClientOptions, logger: Logger) {
    this.#name = name;
    this.#url = url;
    this.#options = options;
    this.#logger = logger;
  }

  get connected(): boolean {
    return this.#client?.connected === true;
  }

  /** MQTT 5 Receive Maximum of the remote (CONNACK), 65535 when it sets none [MQTT-3.2.2.3.3]. */
  get receiveMaximum(): number {
    return this.#receiveMaximum;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Connects unless connected; rejects with WS_ERR_MQTT_BRIDGE_CONNECT_FAILED (retryable). */
  async connect(signal: AbortSignal): Promise<void> {
    if (this.connected) return;
    await this.drop();
    signal.throwIfAborted();
    const client = mqtt.connect(this.#url, this.#options);
    this.#client = client;
    // From the start: mqtt.js may emit several errors for one failure, and an 'error' event
    // without a listener would throw.
    client.on('error', (err) => {
      this.#lastError = err.message;
    });
    let connack: IConnackPacket;
    try {
      connack = await new Promise<IConnackPacket>((resolve, reject) => {
        const fail = (err: Error): void => {
          cleanup();
          reject(err);
        };
        const onConnect = (packet: IConnackPacket): void => {
          cleanup();
          resolve(packet);
        };
        const onClose = (): void => fail(new Error('connection closed during CONNECT'));
        const onAbort = (): void => fail(signal.reason as Error);
        const cleanup = (): void => {
          client.off('connect', onConnect).off('error', fail).off('close', onClose);
          signal.removeEventListener('abort', onAbort);
        };
        client.once('connect', onConnect).once('error', fail).once('close', onClose);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    } catch (err) {
      await this.drop();
      this.#lastError = (err as Error).message;
      throw MqttBridgeErrors.CONNECT_FAILED.create([this.#name, this.#url, this.#lastError], undefined, err);
    }
    this.#lastError = undefined;
    this.#receiveMaximum = connack.properties?.receiveMaximum ?? 65535;
    client.once('close', () => this.#onClose(client));
    this.#logger.info({ url: this.#url }, 'mqtt bridge link up');
  }

  /**
   * Publishes one message; resolves on PUBACK for QoS 1 [MQTT-4.3.2-1], once written for QoS 0.
   * Rejects with LINK_LOST when the connection closes first (the message may or may not have
   * reached the remote: QoS 1 is at-least-once), or PUBLISH_REJECTED for an MQTT 5 error
   * reason code.
   */
  publish(msg: OutboundMessage): Promise<void> {
    const client = this.#client;
    if (!client || !client.connected)
      return Promise.reject(MqttBridgeErrors.NOT_CONNECTED.create([this.#name, this.#url]));
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = {
        resolve: () => {
          this.#pending.delete(entry);
          resolve();
        },
        reject: (err) => {
          this.#pending.delete(entry);
          reject(err);
        },
      };
      this.#pending.add(entry);
      const opts = msg.properties
        ? { qos: msg.qos, retain: msg.retain, properties: msg.properties }
        : { qos: msg.qos, retain: msg.retain };
      client.publish(msg.topic, msg.payload, opts, (err) => {
        if (!this.#pending.has(entry)) return;
        if (!err) entry.resolve();
        else entry.reject(this.#publishError(err, msg.topic));
      });
    });
  }

  /** Closes the connection at once; pending publishes reject with LINK_LOST. */
  async drop(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = undefined;
    this.#rejectPending();
    await client.endAsync(true);
  }

  #onClose(client: MqttClient): void {
    if (this.#client !== client) return;
    this.#logger.warn({ url: this.#url, err: this.#lastError }, 'mqtt bridge link down');
    this.#rejectPending();
  }

  #rejectPending(): void {
    for (const p of [...this.#pending]) p.reject(MqttBridgeErrors.LINK_LOST.create([this.#name, this.#url]));
  }

  #publishError(err: Error, topic: string): Error {
    if (err instanceof ErrorWithReasonCode) {
      const e = MqttBridgeErrors.PUBLISH_REJECTED.create([this.#name, this.#url, topic, err.message], {
        reasonCode: err.code,
        permanent: PERMANENT_REASONS.has(err.code),
      });
      return e;
    }
    return MqttBridgeErrors.LINK_LOST.create([this.#name, this.#url], undefined, err);
  }
}
