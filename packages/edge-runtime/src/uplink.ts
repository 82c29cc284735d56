import type { Clock, Logger, TimerHandle } from '@watershed/common';
import { dataTopic, encodeUplink, mgmtTopic, type EdgeStatus, type UplinkMessage } from '@watershed/model';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { birthMessages } from './catalog/birth.js';
import { catalogTopic } from './catalog/catalog-part.js';
import { DEFAULT_CATALOG_PART_BYTES, type BufferConfig, type UplinkConfig } from './config.js';
import type { Outbox, OutboxEntry, OutboxStats } from './outbox.js';

export interface UplinkStats extends OutboxStats {
  connected: boolean;
  /** Messages appended to the buffer. */
  published: number;
  /** Messages the broker acknowledged. */
  acked: number;
  inflight: number;
}

/**
 * The gateway's MQTT link to the cloud. Every message goes through the store-and-forward
 * Outbox: appended first, sent in order from the buffer with at most `window` awaiting PUBACK,
 * removed on PUBACK. While the link is down the backlog grows on disk; on reconnect it drains
 * in order at `replayRatePerS` while new polls keep appending behind it, so the cloud sees every
 * group's `seq` in order. On every (re)connect a retained birth status with the tag catalog is
 * published; the MQTT will publishes `online: false` if the link dies [MQTT-3.1.2-8].
 */
export class MqttUplink {
  readonly #client: MqttClient;
  readonly #site: string;
  readonly #node: string;
  readonly #qos: 0 | 1;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #outbox: Outbox;
  readonly #buffer: BufferConfig;
  readonly #birth: () => EdgeStatus;
  readonly #catalogPartBytes: number;
  /** Parts of the catalog last announced by this process: stale retained parts past it are cleared. */
  #announcedParts = 0;
  #connected = false;
  #published = 0;
  #acked = 0;
  #inflight = 0;
  /** Highest outbox id handed to the client; after it the next send starts. */
  #sentUpTo = 0;
  #tokens: number;
  #lastRefill: number;
  #wakeup: TimerHandle | undefined;
  #closed = false;
  #pendingAcks: OutboxEntry[] = [];
  #ackScheduled = false;
  readonly #refillBatch: number;
  /** Control topics (mgmt/config, mgmt/write) → handler; subscribed again on every connect. */
  readonly #subscriptions = new Map<string, (payload: Buffer) => void>();

  constructor(opts: {
    config: UplinkConfig;
    buffer: BufferConfig;
    outbox: Outbox;
    site: string;
    node: string;
    logger: Logger;
    clock: Clock;
    /** The status announced on connect: online, with the full tag catalog. */
    birth: () => EdgeStatus;
  }) {
    this.#site = opts.site;
    this.#node = opts.node;
    this.#qos = opts.config.qos;
    this.#logger = opts.logger;
    this.#clock = opts.clock;
    this.#outbox = opts.outbox;
    this.#buffer = opts.buffer;
    this.#birth = opts.birth;
    this.#catalogPartBytes = opts.config.catalogPartBytes ?? DEFAULT_CATALOG_PART_BYTES;
    this.#refillBatch = Math.max(1, Math.floor(opts.buffer.window / 4));
    this.#tokens = opts.buffer.replayRatePerS;
    this.#lastRefill = opts.clock.now();
    const will: EdgeStatus = { v: 1, node: opts.node, online: false, ts: opts.clock.now() };
    const options: IClientOptions = {
      clientId: opts.config.clientId ?? `edge-${opts.site}-${opts.node}`,
      keepalive: opts.config.keepaliveS,
      reconnectPeriod: opts.config.reconnectMs,
      connectTimeout: 10_000,
      clean: true,
      // Subscriptions are renewed in the connect handler below, explicitly, on every connect.
      resubscribe: false,
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
      this.#connected = true;
      this.#logger.info({ url: opts.config.url, backlog: this.#outbox.stats().backlog }, 'uplink connected');
      this.#announceNow();
      for (const topic of this.#subscriptions.keys()) this.#subscribeNow(topic);
      this.#pump();
    });
    this.#client.on('message', (topic, payload) => this.#subscriptions.get(topic)?.(payload));
    this.#client.on('close', () => {
      if (this.#connected && !this.#closed)
        this.#logger.warn('uplink disconnected; buffering and reconnecting');
      this.#connected = false;
    });
    this.#client.on('error', (err) => this.#logger.warn({ err: err.message }, 'uplink error'));
  }

  /** Cheap counters, for every-poll use; `report()` adds the oldest buffered message's time. */
  get stats(): UplinkStats {
    return {
      connected: this.#connected,
      published: this.#published,
      acked: this.#acked,
      inflight: this.#inflight,
      ...this.#outbox.stats(),
    };
  }

  /** Buffers one message durably, then sends it when the link and the window allow; never throws. */
  publish(message: UplinkMessage): void {
    if (this.#closed) return;
    this.#outbox.append(
      message.group,
      message.seq,
      dataTopic(this.#site, this.#node, message.group),
      encodeUplink(message),
      message.ts,
    );
    this.#published++;
    this.#pump();
  }

  /**
   * Buffers one message of another stream than a group's (an edge rule's output, `stream` =
   * `rule/{id}`) the same way: durably, in order, with its own `seq` continuing across restarts.
   */
  publishStream(stream: string, seq: number, topic: string, payload: string, ts: number): void {
    if (this.#closed) return;
    this.#outbox.append(stream, seq, topic, Buffer.from(payload, 'utf8'), ts);
    this.#published++;
    this.#pump();
  }

  /**
   * Takes control messages on `topic` (QoS 1) for the life of the uplink. The session is clean,
   * so the subscription is made again on every connect; messages sent while the link was down
   * are not queued by the broker (the console publishes config pushes retained for that).
   */
  subscribe(topic: string, onMessage: (payload: Buffer) => void): void {
    this.#subscriptions.set(topic, onMessage);
    if (this.#connected) this.#subscribeNow(topic);
  }

  /**
   * Publishes a control message (ack, report, write result) at QoS 1 straight to the broker,
   * not through the outbox: replaying hours-old acks or reports after an outage would only
   * mislead. While the link is down mqtt.js holds it in memory until the reconnect.
   */
  async publishDirect(topic: string, payload: string, opts: { retain: boolean }): Promise<void> {
    if (this.#closed) return;
    await this.#client.publishAsync(topic, payload, { qos: 1, retain: opts.retain });
  }

  /** Publishes the birth status again, e.g. after a config change altered the catalog. */
  announce(): void {
    if (this.#connected && !this.#closed) this.#announceNow();
  }

  /** Announces a graceful stop (the will covers crashes), then closes. Unacked messages stay buffered. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#wakeup) this.#clock.clearTimeout(this.#wakeup);
    if (this.#client.connected) {
      await this.#client
        .publishAsync(
          mgmtTopic(this.#site, this.#node, 'status'),
          JSON.stringify({
            v: 1,
            node: this.#node,
            online: false,
            ts: this.#clock.now(),
          } satisfies EdgeStatus),
          { qos: 1, retain: true },
        )
        .catch((err: Error) => this.#logger.warn({ err: err.message }, 'could not publish offline status'));
    }
    await this.#client.endAsync(!this.#client.connected);
    this.#flushAcks();
  }

  /** Sends from the buffer in order while connected, within the window and the replay rate. */
  #pump(): void {
    if (!this.#connected || this.#closed) return;
    const room = this.#buffer.window - this.#inflight;
    // Refill the window in batches, not one message per PUBACK: one buffer read per batch. An
    // ack always comes back to here, so waiting for a quarter of the window never stalls.
    if (room <= 0 || (this.#inflight > 0 && room < this.#refillBatch)) return;
    this.#refill();
    const take = Math.min(room, Math.floor(this.#tokens));
    if (take <= 0) {
      this.#wakeup ??= this.#clock.setTimeout(
        () => {
          this.#wakeup = undefined;
          this.#pump();
        },
        Math.ceil(1000 / this.#buffer.replayRatePerS),
      );
      return;
    }
    // Acks still pending removal must be gone before reading on, or a rewind could resend them.
    this.#flushAcks();
    for (const entry of this.#outbox.peek(this.#sentUpTo, take)) {
      this.#tokens--;
      this.#inflight++;
      this.#sentUpTo = entry.id;
      this.#client.publish(entry.topic, entry.payload, { qos: this.#qos }, (err) => this.#onSent(entry, err));
    }
  }

  #subscribeNow(topic: string): void {
    this.#client.subscribe(topic, { qos: 1 }, (err) => {
      if (err) this.#logger.warn({ err: err.message, topic }, 'could not subscribe to a control topic');
    });
  }

  /**
   * Removes acknowledged messages from the buffer in one transaction per event-loop turn rather
   * than one per PUBACK: a burst of PUBACKs parsed from one socket read costs one commit.
   * Until then they stay buffered; a crash in between only means they are sent again (QoS 1
   * is at least once; the cloud drops a repeated group seq).
   */
  #flushAcks(): void {
    this.#ackScheduled = false;
    if (this.#pendingAcks.length === 0) return;
    const acked = this.#pendingAcks;
    this.#pendingAcks = [];
    this.#outbox.ackMany(acked);
  }

  #onSent(entry: OutboxEntry, err: Error | undefined): void {
    this.#inflight--;
    if (err) {
      this.#flushAcks();
      // Not acknowledged: it stays buffered; send again from here, so order is kept.
      this.#sentUpTo = Math.min(this.#sentUpTo, entry.id - 1);
      if (!this.#closed)
        this.#logger.warn({ err: err.message, group: entry.group, seq: entry.seq }, 'uplink publish failed');
    } else {
      this.#acked++;
      this.#pendingAcks.push(entry);
      if (!this.#ackScheduled) {
        this.#ackScheduled = true;
        queueMicrotask(() => this.#flushAcks());
      }
    }
    this.#pump();
  }

  #refill(): void {
    const now = this.#clock.now();
    const rate = this.#buffer.replayRatePerS;
    this.#tokens = Math.min(rate, this.#tokens + ((now - this.#lastRefill) * rate) / 1000);
    this.#lastRefill = now;
  }

  /**
   * Publishes the catalog's parts, then the status, all retained at QoS 1: a reader that sees the
   * status finds the parts already there. Parts of a longer catalog announced earlier by this
   * process are cleared (an empty retained message deletes it [MQTT-3.3.1-10]); older ones left
   * by a previous run carry another checksum, and readers drop them (see CatalogAssembler).
   */
  #announceNow(): void {
    let birth;
    try {
      birth = birthMessages(this.#birth(), this.#catalogPartBytes);
    } catch (err) {
      this.#logger.error({ err }, 'tag catalog cannot be announced');
      return;
    }
    const onError = (what: string) => (err?: Error) => {
      if (err) this.#logger.warn({ err: err.message }, `could not publish ${what}`);
    };
    for (const [i, part] of birth.parts.entries()) {
      this.#client.publish(
        catalogTopic(this.#site, this.#node, i + 1),
        part,
        { qos: 1, retain: true },
        onError('catalog part'),
      );
    }
    for (let i = birth.parts.length; i < this.#announcedParts; i++) {
      this.#client.publish(
        catalogTopic(this.#site, this.#node, i + 1),
        '',
        { qos: 1, retain: true },
        onError('catalog clear'),
      );
    }
    this.#announcedParts = birth.parts.length;
    this.#client.publish(
      mgmtTopic(this.#site, this.#node, 'status'),
      birth.status,
      { qos: 1, retain: true },
      onError('status'),
    );
  }
}
