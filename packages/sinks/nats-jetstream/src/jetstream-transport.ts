import type { Clock, Logger } from '@watershed/common';
import { jetstream, jetstreamManager, JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { connect, NoRespondersError, RequestError, type NatsConnection } from '@nats-io/transport-node';
import {
  SinkPermanentError,
  type SinkRow,
  type SinkTransport,
  type TransportHealth,
} from '@watershed/sink-core';
import { existsSync } from 'node:fs';
import type { NatsJetStreamSinkConfig } from './config.js';
import { NatsSinkErrors } from './errors.js';
import { rowToMessage, type RowMapping, type StreamMessage } from './row-message.js';
import { ensureStream } from './stream.js';
import { subjectMatches } from './subject-mapping.js';

export interface NatsSinkDeps {
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Publish counts since start, for health details and tests. */
export interface NatsSinkStats {
  /** Messages the stream stored (JetStream ack, not a duplicate). */
  readonly stored: number;
  /** Messages the server recognised by Nats-Msg-Id as already stored and dropped. */
  readonly duplicates: number;
}

/**
 * The NATS JetStream sink's transport: ensures the stream at open, then publishes each batch with
 * JetStream acks (`js.publish`) and resolves once the stream has stored every message.
 *
 * Exactly once in the stream: every message carries a Nats-Msg-Id derived from its row (see
 * rowToMessage), so when sink-core re-sends a batch (a lost ack, a timeout, a crash and a replay
 * from the disk queue) the server drops the messages it already has, as long as the re-send comes
 * within the stream's duplicate window. Order per point holds because a batch is published on one
 * connection in order (the server stores in arrival order) and sink-core sends one batch at a
 * time, in queue order.
 */
export class NatsJetStreamTransport implements SinkTransport {
  readonly #config: NatsJetStreamSinkConfig;
  readonly #name: string;
  readonly #logger: Logger;
  readonly #mapping: RowMapping;
  readonly #subjects: readonly string[];
  readonly #where: string;
  #nc: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #statusLoop: Promise<void> | undefined;
  #connected = false;
  #streamReady = false;
  #lastError: string | undefined;
  #closed = false;
  #stored = 0;
  #duplicates = 0;

  constructor(config: NatsJetStreamSinkConfig, deps: NatsSinkDeps, name = config.stream.name) {
    this.#config = config;
    this.#name = name;
    this.#where = config.servers.join(',');
    this.#logger = deps.logger.child({ sink: name, stream: config.stream.name });
    this.#mapping = {
      subjectPrefix: config.subjectPrefix,
      topicTemplate: config.topic,
      msgIdFields: config.msgIdFields,
    };
    this.#subjects = config.stream.subjects ?? [config.subjectPrefix ? `${config.subjectPrefix}.>` : 'ws.>'];
    for (const field of ['ca', 'cert', 'key'] as const) {
      const file = config.tls?.[field];
      if (file !== undefined && !existsSync(file))
        throw NatsSinkErrors.TLS_FILE.create([name, field, file, 'no such file']);
    }
  }

  get stats(): NatsSinkStats {
    return { stored: this.#stored, duplicates: this.#duplicates };
  }

  async open(signal: AbortSignal): Promise<void> {
    await this.#ready(signal);
  }

  async send(batch: readonly SinkRow[], signal: AbortSignal): Promise<void> {
    const messages = this.#toMessages(batch);
    await this.#ready(signal);
    // While the link is down nats.js would buffer publishes and time them out later; failing
    // at once lets sink-core queue and back off instead.
    if (!this.#connected) throw NatsSinkErrors.NOT_CONNECTED.create([this.#name, this.#where]);
    await this.#publishAll(messages, signal);
  }

  health(): TransportHealth {
    if (!this.#nc || !this.#connected)
      return { state: 'down', detail: `not connected to ${this.#where}: ${this.#lastError ?? 'starting'}` };
    if (!this.#streamReady)
      return {
        state: 'degraded',
        detail: `stream ${this.#config.stream.name} not ready: ${this.#lastError ?? ''}`,
      };
    return { state: 'up', detail: `stream ${this.#config.stream.name} on ${this.#where}` };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const nc = this.#nc;
    this.#nc = undefined;
    if (nc) await nc.close();
    await this.#statusLoop;
  }

  #toMessages(batch: readonly SinkRow[]): StreamMessage[] {
    const maxPayload = this.#nc?.info?.max_payload;
    return batch.map((row, i) => {
      let msg: StreamMessage;
      try {
        msg = rowToMessage(row, this.#mapping, i);
      } catch (err) {
        throw new SinkPermanentError((err as Error).message, { cause: err });
      }
      if (!this.#subjects.some((f) => subjectMatches(f, msg.subject))) {
        const err = NatsSinkErrors.NOT_IN_STREAM.create([this.#name, msg.subject, this.#config.stream.name]);
        throw new SinkPermanentError(err.message, { cause: err });
      }
      if (maxPayload !== undefined && msg.payload.byteLength > maxPayload) {
        const err = NatsSinkErrors.BAD_ROW.create([
          String(i),
          `payload larger than max_payload ${maxPayload}`,
        ]);
        throw new SinkPermanentError(err.message, { cause: err });
      }
      return msg;
    });
  }

  async #ready(signal: AbortSignal): Promise<void> {
    if (this.#closed) throw NatsSinkErrors.NOT_CONNECTED.create([this.#name, this.#where]);
    // nats.js gives up on a connection only for good reasons (an auth error …); start afresh.
    if (this.#nc?.isClosed()) {
      this.#nc = undefined;
      this.#streamReady = false;
      await this.#statusLoop;
    }
    if (!this.#nc) await this.#connect(signal);
    if (this.#streamReady) return;
    signal.throwIfAborted();
    try {
      await ensureStream(
        await jetstreamManager(this.#nc!),
        this.#config.stream,
        this.#subjects,
        this.#name,
        this.#logger,
      );
      this.#streamReady = true;
    } catch (err) {
      this.#lastError = (err as Error).message;
      if (NatsSinkErrors.STREAM_CONFLICT.is(err)) throw err;
      throw NatsSinkErrors.STREAM_SETUP.create(
        [this.#name, this.#config.stream.name, this.#lastError],
        undefined,
        err,
      );
    }
  }

  async #connect(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const c = this.#config;
    const tls = c.tls ? { caFile: c.tls.ca, certFile: c.tls.cert, keyFile: c.tls.key } : undefined;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: c.servers,
        name: `watershed-sink-${this.#name}`,
        ...(c.user !== undefined ? { user: c.user } : {}),
        ...(c.pass !== undefined ? { pass: c.pass } : {}),
        ...(c.token !== undefined ? { token: c.token } : {}),
        ...(tls ? { tls } : {}),
        // After the first connection nats.js reconnects by itself, forever; sink-core's
        // queue holds the rows meanwhile (send() fails fast while disconnected).
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        timeout: c.publishTimeoutMs,
      });
    } catch (err) {
      this.#lastError = (err as Error).message;
      throw NatsSinkErrors.CONNECT_FAILED.create([this.#name, this.#where, this.#lastError], undefined, err);
    }
    if (this.#closed) {
      await nc.close();
      throw NatsSinkErrors.NOT_CONNECTED.create([this.#name, this.#where]);
    }
    this.#nc = nc;
    this.#js = jetstream(nc, { timeout: c.publishTimeoutMs });
    this.#connected = true;
    this.#lastError = undefined;
    this.#statusLoop = this.#watch(nc);
    this.#logger.info({ servers: this.#where }, 'nats connected');
  }

  /** Follows the connection's state until it closes; owned by the transport, awaited in close(). */
  async #watch(nc: NatsConnection): Promise<void> {
    try {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.#connected = false;
          this.#lastError = 'disconnected';
          this.#logger.warn({ server: s.server }, 'nats disconnected');
        } else if (s.type === 'reconnect') {
          this.#connected = true;
          this.#logger.info({ server: s.server }, 'nats reconnected');
        }
      }
    } catch (err) {
      this.#logger.warn({ err: (err as Error).message }, 'nats status stream ended');
    } finally {
      this.#connected = false;
    }
  }

  /** At most maxInflight publishes awaiting their ack; each lane takes the next in batch order. */
  async #publishAll(messages: readonly StreamMessage[], signal: AbortSignal): Promise<void> {
    const js = this.#js!;
    let next = 0;
    let failure: Error | undefined;
    const lane = async (): Promise<void> => {
      while (failure === undefined && next < messages.length && !signal.aborted) {
        const m = messages[next++]!;
        try {
          const ack = await js.publish(m.subject, m.payload, {
            msgID: m.msgId,
            timeout: this.#config.publishTimeoutMs,
          });
          if (ack.duplicate) this.#duplicates++;
          else this.#stored++;
        } catch (err) {
          failure ??= this.#publishError(err as Error, m.subject);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#config.maxInflight, messages.length) }, lane));
    signal.throwIfAborted();
    if (failure) throw failure;
  }

  #publishError(err: Error, subject: string): Error {
    this.#lastError = err.message;
    if (noResponders(err)) {
      // No stream answered: it was deleted, or lost with a memory-storage server restart.
      this.#streamReady = false;
    }
    if (err instanceof JetStreamApiError && err.status === 400) {
      const e = NatsSinkErrors.PUBLISH_FAILED.create(
        [this.#name, subject, err.message],
        { code: err.code },
        err,
      );
      return new SinkPermanentError(e.message, { cause: e });
    }
    return NatsSinkErrors.PUBLISH_FAILED.create([this.#name, subject, err.message], undefined, err);
  }
}

/**
 * Nobody answered the publish request: nats.js reports it as "jetstream is not enabled" with the
 * request's no-responders error as its cause.
 */
function noResponders(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof NoRespondersError || (e instanceof RequestError && e.isNoResponders())) return true;
  }
  return false;
}
