import type { Logger } from '@watershed/common';
import { dataTopic, encodeUplink, mgmtTopic, type EdgeStatus, type UplinkMessage } from '@watershed/model';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { UplinkConfig } from './config.js';

export interface UplinkStats {
  connected: boolean;
  published: number;
  acked: number;
  failed: number;
  dropped: number;
  pending: number;
}

/**
 * The gateway's MQTT link to the cloud broker. Publishes one UplinkMessage per poll (QoS 1 by
 * default) and a retained birth status with the tag catalog on every (re)connect; the MQTT will
 * publishes `online: false` retained if the link dies [MQTT-3.1.2-8, MQTT-3.1.2-17].
 * While the link is down mqtt.js queues publishes in memory up to `maxPending`; past that
 * messages are dropped and counted (the disk buffer of the store-and-forward work replaces this).
 */
export class MqttUplink {
  readonly #client: MqttClient;
  readonly #site: string;
  readonly #node: string;
  readonly #qos: 0 | 1;
  readonly #logger: Logger;
  readonly #birth: () => EdgeStatus;
  readonly #maxPending: number;
  readonly #stats: UplinkStats = {
    connected: false,
    published: 0,
    acked: 0,
    failed: 0,
    dropped: 0,
    pending: 0,
  };

  constructor(opts: {
    config: UplinkConfig;
    site: string;
    node: string;
    logger: Logger;
    /** The status announced on connect: online, with the full tag catalog. */
    birth: () => EdgeStatus;
    now: () => number;
    maxPending?: number;
  }) {
    this.#site = opts.site;
    this.#node = opts.node;
    this.#qos = opts.config.qos;
    this.#logger = opts.logger;
    this.#birth = opts.birth;
    this.#maxPending = opts.maxPending ?? 100_000;
    const will: EdgeStatus = { v: 1, node: opts.node, online: false, ts: opts.now() };
    const options: IClientOptions = {
      clientId: opts.config.clientId ?? `edge-${opts.site}-${opts.node}`,
      keepalive: opts.config.keepaliveS,
      reconnectPeriod: opts.config.reconnectMs,
      connectTimeout: 10_000,
      clean: true,
      protocolVersion: 4,
      will: {
        topic: mgmtTopic(opts.site, opts.node, 'status'),
        payload: Buffer.from(JSON.stringify(will)),
        qos: 1,
        retain: true,
      },
    };
    if (opts.config.username !== undefined) options.username = opts.config.username;
    if (opts.config.password !== undefined) options.password = opts.config.password;
    this.#client = connect(opts.config.url, options);
    this.#client.on('connect', () => {
      this.#stats.connected = true;
      this.#logger.info({ url: opts.config.url }, 'uplink connected');
      this.#publishStatus(this.#birth());
    });
    this.#client.on('close', () => {
      if (this.#stats.connected) this.#logger.warn('uplink disconnected; reconnecting');
      this.#stats.connected = false;
    });
    this.#client.on('error', (err) => this.#logger.warn({ err: err.message }, 'uplink error'));
  }

  get stats(): Readonly<UplinkStats> {
    return this.#stats;
  }

  /** Queues one message; never throws. Failures and drops are counted and logged. */
  publish(message: UplinkMessage): void {
    if (this.#stats.pending >= this.#maxPending) {
      this.#stats.dropped++;
      return;
    }
    this.#stats.pending++;
    this.#stats.published++;
    this.#client.publish(
      dataTopic(this.#site, this.#node, message.group),
      encodeUplink(message),
      { qos: this.#qos },
      (err) => {
        this.#stats.pending--;
        if (err) {
          this.#stats.failed++;
          this.#logger.warn(
            { err: err.message, group: message.group, seq: message.seq },
            'uplink publish failed',
          );
        } else {
          this.#stats.acked++;
        }
      },
    );
  }

  /** Announces a graceful stop (the will covers crashes), then closes the connection. */
  async close(now: number): Promise<void> {
    if (this.#client.connected) {
      await this.#client
        .publishAsync(
          mgmtTopic(this.#site, this.#node, 'status'),
          JSON.stringify({ v: 1, node: this.#node, online: false, ts: now } satisfies EdgeStatus),
          { qos: 1, retain: true },
        )
        .catch((err: Error) => this.#logger.warn({ err: err.message }, 'could not publish offline status'));
    }
    await this.#client.endAsync(!this.#client.connected);
  }

  #publishStatus(status: EdgeStatus): void {
    this.#client.publish(
      mgmtTopic(this.#site, this.#node, 'status'),
      JSON.stringify(status),
      { qos: 1, retain: true },
      (err) => {
        if (err) this.#logger.warn({ err: err.message }, 'could not publish status');
      },
    );
  }
}
