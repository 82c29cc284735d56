import type { Clock, Logger } from '@watershed/common';
import {
  SinkPermanentError,
  type SinkRow,
  type SinkTransport,
  type TransportHealth,
} from '@watershed/sink-core';
import { createHash } from 'node:crypto';
import { clientOptions, redactedUrl } from './client-options.js';
import type { MqttBridgeSinkConfig } from './config.js';
import { MqttBridgeErrors } from './errors.js';
import { MqttLink } from './mqtt-link.js';
import { rowToMessage, type OutboundMessage, type RowMapping } from './row-message.js';
import { TopicMapper } from './topic-mapping.js';

export interface EgressDeps {
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * The MQTT bridge's sink transport: publishes each batch to the remote broker and resolves only
 * when the remote has acknowledged every QoS 1 message (PUBACK), so an unacknowledged batch stays
 * in sink-core's queue (memory, then disk) and is retried with backoff: a link outage loses
 * nothing.
 *
 * Duplicates: sink-core retries a failed batch whole. Resending the messages the remote already
 * acknowledged would duplicate every message before the break, so the transport remembers
 * (as a multiset of message digests) which messages of the unfinished batch were acknowledged and
 * skips them on the retry. What remains is QoS 1's own window: a message the remote received but
 * whose PUBACK was lost with the link is sent again (at-least-once, [MQTT-4.3.2]).
 */
export class MqttBridgeTransport implements SinkTransport {
  readonly #name: string;
  readonly #url: string;
  readonly #config: MqttBridgeSinkConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #link: MqttLink;
  readonly #mapping: RowMapping;
  /** Digest → count of messages of the unfinished batch the remote already acknowledged. */
  readonly #acked = new Map<string, number>();
  #closed = false;

  constructor(config: MqttBridgeSinkConfig, deps: EgressDeps, name = config.clientId) {
    this.#name = name;
    this.#config = config;
    this.#url = redactedUrl(config.url);
    this.#clock = deps.clock;
    this.#logger = deps.logger.child({ sink: name, remote: this.#url });
    this.#link = new MqttLink(name, config.url, clientOptions(config), this.#logger);
    this.#mapping = {
      mapper: new TopicMapper(config.mappings),
      topicTemplate: config.topic,
      qos: config.qos,
      retain: config.retain,
    };
  }

  async open(signal: AbortSignal): Promise<void> {
    await this.#link.connect(signal);
  }

  async send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void> {
    if (this.#closed) throw MqttBridgeErrors.NOT_CONNECTED.create([this.#name, this.#url]);
    const messages = this.#toMessages(batch);
    await this.#link.connect(signal);
    const credit = new Map(this.#acked);
    const todo: { msg: OutboundMessage; key: string }[] = [];
    for (const msg of messages) {
      const key = digest(msg);
      const c = credit.get(key) ?? 0;
      if (c > 0) credit.set(key, c - 1);
      else todo.push({ msg, key });
    }
    if (todo.length < messages.length)
      this.#logger.info(
        { skipped: messages.length - todo.length, resent: todo.length },
        'retry: skipping messages the remote already acknowledged',
      );
    await this.#publishAll(todo, signal);
    this.#acked.clear();
  }

  health(): TransportHealth {
    if (this.#link.connected) return { state: 'up', detail: `connected to ${this.#url}` };
    return {
      state: 'down',
      detail: `not connected to ${this.#url}: ${this.#link.lastError ?? 'no link yet'}`,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#link.drop();
  }

  #toMessages(batch: readonly SinkRow[]): OutboundMessage[] {
    try {
      return batch.map((row, i) => rowToMessage(row, this.#mapping, i));
    } catch (err) {
      // A row the mapping cannot express never will be: the batch is failed, not retried.
      this.#acked.clear();
      throw new SinkPermanentError((err as Error).message, { cause: err });
    }
  }

  /**
   * Pipelines the batch on the one connection, at most `maxInflight` (and the remote's Receive
   * Maximum, [MQTT-3.3.4-7]) awaiting PUBACK at a time; the remote keeps their order
   * ([MQTT-4.6.0-6]). Waits for every PUBACK within publishTimeoutMs. On a timeout or an abort
   * the link is dropped, so no late PUBACK can race the retry.
   */
  async #publishAll(
    todo: readonly { msg: OutboundMessage; key: string }[],
    signal: AbortSignal,
  ): Promise<void> {
    let timedOut = false;
    const timer = this.#clock.setTimeout(() => {
      timedOut = true;
      void this.#link.drop();
    }, this.#config.publishTimeoutMs);
    const onAbort = (): void => void this.#link.drop();
    signal.addEventListener('abort', onAbort, { once: true });
    let next = 0;
    let failure: Error | undefined;
    // Each lane takes the next message in batch order, so publishes leave in batch order.
    const lane = async (): Promise<void> => {
      while (failure === undefined && next < todo.length) {
        const { msg, key } = todo[next++]!;
        try {
          await this.#link.publish(msg);
          this.#acked.set(key, (this.#acked.get(key) ?? 0) + 1);
        } catch (err) {
          failure ??= err as Error;
        }
      }
    };
    try {
      const lanes = Math.min(this.#config.maxInflight, this.#link.receiveMaximum, todo.length);
      await Promise.all(Array.from({ length: lanes }, lane));
      if (failure === undefined) return;
      signal.throwIfAborted();
      if (timedOut)
        throw MqttBridgeErrors.PUBLISH_TIMEOUT.create([
          this.#name,
          this.#url,
          String(this.#config.publishTimeoutMs),
        ]);
      if (MqttBridgeErrors.PUBLISH_REJECTED.is(failure) && failure.details?.['permanent'] === true) {
        this.#acked.clear();
        throw new SinkPermanentError(failure.message, { cause: failure });
      }
      throw failure;
    } finally {
      this.#clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}

function digest(msg: OutboundMessage): string {
  return createHash('sha256')
    .update(msg.topic)
    .update('\u0000')
    .update(msg.payload)
    .update(msg.retain ? '\u0001' : '\u0000')
    .digest('base64');
}
