import type { TimerHandle } from '@watershed/common';
import { generate, parser as createParser, type Packet, type IPublishPacket, type Parser } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import type { HandlerContext } from './context.js';
import { BrokerErrors } from './errors.js';
import { FrameSizeGuard } from './frame-guard.js';
import { dispatch, handleConnect } from './handlers/index.js';
import type { StreamOrigin } from './listeners/serve.js';
import { OutboundAliases } from './outbound-aliases.js';
import { InboundThrottle } from './rate-limit.js';
import { describe, publishProperties } from './outgoing-properties.js';
import type { DeliveryTarget, Outgoing, Session } from './session.js';
import type { ClientInfo, MessageProperties, QoS } from './types.js';
import type { ConnectionAuth } from './handlers/auth.js';

type State = 'awaiting-connect' | 'connecting' | 'connected' | 'closed';

export interface Will {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: MessageProperties | undefined;
}

export interface CloseOptions {
  /** The client ended the connection with DISCONNECT. */
  graceful?: boolean;
  /** Publish the will (default: when not graceful). */
  publishWill?: boolean;
  /** MQTT 5: reason code of a DISCONNECT sent before closing (connected clients only). */
  reasonCode?: number;
  /** Extra detail for the log line (an error, a reason string). */
  detail?: unknown;
  /** Let written data (a refusing CONNACK) reach the peer before the socket closes. */
  flush?: boolean;
}

/**
 * The transport side of one client: the byte stream (TCP, TLS or WebSocket), the codec, the
 * keepalive and connect timers, and backpressure. It turns bytes into packets for the handlers
 * and writes packets the handlers and the session produce. It owns its socket and timers and
 * releases both in `close`, which is idempotent and never throws.
 */
export class Connection implements DeliveryTarget {
  readonly remoteAddress: string | undefined;
  /** Listener name and verified certificate CN, for the authentication and ACL hooks. */
  readonly origin: StreamOrigin;
  clientId = '';
  username: string | undefined;
  protocolVersion: 3 | 4 | 5 = 4;
  session: Session | undefined;
  will: Will | undefined;
  /** MQTT 5 Will Delay Interval in seconds [MQTT-3.1.3-9]. */
  willDelaySeconds = 0;
  /** Client id the broker assigned because the client sent an empty one [MQTT-3.1.3-6]. */
  assignedClientId: string | undefined;
  /** Topic aliases the client accepts from us (MQTT 5 CONNECT Topic Alias Maximum). */
  clientTopicAliasMaximum = 0;
  /** Maximum Packet Size the client accepts; nothing larger is sent to it (MQTT 5 [MQTT-3.1.2-24]). */
  clientMaxPacketSize = Number.POSITIVE_INFINITY;
  /** Client's Receive Maximum (MQTT 5) capped by the broker's inflight limit. */
  inflightLimit: number;
  /** Topic aliases the client set up for its PUBLISHes (MQTT 5 §3.3.2.3.4). */
  readonly inboundAliases = new Map<number, string>();
  info: ClientInfo | undefined;
  /** MQTT 5 enhanced authentication and identity expiry, when this connection has either. */
  auth: ConnectionAuth | undefined;

  readonly #ctx: HandlerContext;
  readonly #stream: Duplex;
  readonly #parserOptions: { protocolVersion?: number } = {};
  readonly #parser: Parser;
  readonly #guard: FrameSizeGuard;
  #state: State = 'awaiting-connect';
  #backlog: Packet[] = [];
  #writable = true;
  #lastActivity: number;
  #keepaliveMs = 0;
  #timer: TimerHandle | undefined;
  #encodeOptions: { protocolVersion: number } = { protocolVersion: 4 };
  #corked = false;
  readonly #aliases = new OutboundAliases();
  /** Inbound rate limit, when the broker has one. */
  readonly #throttle: InboundThrottle | undefined;

  constructor(
    ctx: HandlerContext,
    stream: Duplex,
    remoteAddress: string | undefined,
    origin: StreamOrigin = {},
  ) {
    this.#ctx = ctx;
    this.#stream = stream;
    this.remoteAddress = remoteAddress;
    this.origin = origin;
    const { maxMessagesPerSecond: msgs, maxBytesPerSecond: bytes } = ctx.limits;
    if (!InboundThrottle.unlimited(msgs, bytes))
      this.#throttle = new InboundThrottle(ctx.clock, stream, msgs, bytes);
    this.inflightLimit = ctx.limits.maxInflight;
    this.#lastActivity = ctx.clock.now();
    this.#guard = new FrameSizeGuard(ctx.limits.maxPacketSize);
    this.#parser = createParser(this.#parserOptions);
    this.#parser.on('packet', this.#onPacket);
    this.#parser.on('error', this.#onParseError);
    stream.on('data', this.#onData);
    stream.on('drain', this.#onDrain);
    stream.on('error', this.#onStreamError);
    stream.on('close', this.#onStreamClose);
    const ms = ctx.limits.connectTimeoutMs;
    this.#timer = ctx.clock.setTimeout(() => {
      if (this.#state === 'awaiting-connect' || this.#state === 'connecting') {
        this.close('connect_timeout', { detail: BrokerErrors.CONNECT_TIMEOUT.create([ms]).message });
      }
    }, ms);
  }

  get connected(): boolean {
    return this.#state === 'connected';
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  get writable(): boolean {
    return this.#writable && this.#state === 'connected';
  }

  /** Switches the codec to the protocol version from CONNECT; later packets parse accordingly. */
  setProtocolVersion(version: 3 | 4 | 5): void {
    this.protocolVersion = version;
    this.#parserOptions.protocolVersion = version;
    this.#encodeOptions = { protocolVersion: version };
  }

  /** Marks CONNECT accepted and starts the keepalive watch. */
  established(keepaliveSeconds: number): void {
    if (this.#state !== 'connecting') return;
    this.#state = 'connected';
    if (this.#timer) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    // The server closes the connection after 1.5 keepalive periods of silence
    // (MQTT 3.1.1 [MQTT-3.1.2-24], MQTT 5 [MQTT-3.1.2-22]).
    this.#keepaliveMs = keepaliveSeconds * 1500;
    this.#lastActivity = this.#ctx.clock.now();
    if (this.#keepaliveMs > 0)
      this.#timer = this.#ctx.clock.setTimeout(this.#checkKeepalive, this.#keepaliveMs);
  }

  /** Reads on before CONNACK, for the client's AUTH packets in an enhanced exchange (MQTT 5 §4.12). */
  readDuringConnect(): void {
    if (this.#state === 'connecting') this.#stream.resume();
  }

  /** Resumes reading and handles the packets that arrived while CONNECT was being decided. */
  resumeInput(): void {
    if (this.#state !== 'connected') return;
    this.#stream.resume();
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const packet of backlog) {
      if (this.#state !== 'connected') break;
      this.#handle(packet);
    }
  }

  /** Writes one packet. Returns false when the socket is gone. */
  send(packet: Packet): boolean {
    if (this.#stream.destroyed || this.#stream.writableEnded) return false;
    let bytes: Buffer;
    try {
      bytes = generate(packet, this.#encodeOptions);
    } catch (err) {
      this.#ctx.logger.error({ err, clientId: this.clientId, cmd: packet.cmd }, 'cannot encode MQTT packet');
      return false;
    }
    this.#write(bytes);
    return true;
  }

  writePublish(out: Outgoing, dup: boolean): boolean {
    const shared = this.#sharedEncoding(out, dup);
    if (shared) {
      const key = this.protocolVersion === 5 ? 'v5' : 'v4';
      const bytes = (shared[key] ??= generate(
        { cmd: 'publish', topic: out.topic, payload: out.payload, qos: 0, retain: false, dup: false },
        this.#encodeOptions,
      ));
      if (bytes.length > this.clientMaxPacketSize) return false;
      this.#write(bytes);
      return true;
    }
    const packet: IPublishPacket = {
      cmd: 'publish',
      topic: out.topic,
      payload: out.payload,
      qos: out.qos,
      retain: out.retain,
      dup,
    };
    if (out.qos > 0) packet.messageId = out.packetId;
    let newAlias = 0;
    if (this.protocolVersion === 5) {
      const props = publishProperties(out, this.#ctx.clock.now());
      if (props) packet.properties = props;
      newAlias = this.#aliases.apply(packet, this.clientTopicAliasMaximum);
    }
    let bytes: Buffer;
    try {
      bytes = generate(packet, this.#encodeOptions);
    } catch (err) {
      this.#ctx.logger.error({ err, clientId: this.clientId, topic: out.topic }, 'cannot encode PUBLISH');
      return false;
    }
    // [MQTT-3.1.2-25] a packet larger than the client's Maximum Packet Size is discarded.
    if (bytes.length > this.clientMaxPacketSize) return false;
    if (newAlias > 0) this.#aliases.record(out.topic, newAlias);
    this.#write(bytes);
    return true;
  }

  /**
   * Fan-out fast path: a plain QoS 0 PUBLISH (no per-subscriber properties, alias or flags)
   * has the same bytes for every subscriber of a protocol family, so it is encoded once per
   * message and shared. Returns the message's cache when this delivery can use it.
   */
  #sharedEncoding(out: Outgoing, dup: boolean): Outgoing['encoded'] {
    if (out.encoded === undefined || out.qos !== 0 || out.retain || dup) return undefined;
    if (this.protocolVersion !== 5) return out.encoded;
    const plain =
      out.properties === undefined &&
      out.subscriptionIds === undefined &&
      out.expiresAt === undefined &&
      this.clientTopicAliasMaximum === 0;
    return plain ? out.encoded : undefined;
  }

  /**
   * Writes bytes, batching everything written in one tick into as few syscalls as possible:
   * the stream is corked on the first write and uncorked on the next tick.
   */
  #write(bytes: Buffer): void {
    const stream = this.#stream;
    if (stream.destroyed || stream.writableEnded) return;
    if (!this.#corked) {
      this.#corked = true;
      stream.cork();
      process.nextTick(this.#uncork);
    }
    if (!stream.write(bytes)) this.#writable = false;
  }

  readonly #uncork = (): void => {
    this.#corked = false;
    this.#stream.uncork();
  };

  writePubrel(packetId: number): void {
    this.send({ cmd: 'pubrel', messageId: packetId });
  }

  /**
   * Ends the connection once: sends an MQTT 5 DISCONNECT when a reason code is given, stops
   * timers, tells the broker (will, session, events) and releases the socket.
   */
  close(reason: string, opts: CloseOptions = {}): void {
    if (this.#state === 'closed') return;
    const wasConnected = this.#state === 'connected';
    this.#state = 'closed';
    if (this.#timer) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#throttle?.stop();
    this.auth?.dispose();
    this.#parser.removeAllListeners('packet');
    this.#backlog = [];
    const log = {
      clientId: this.clientId || undefined,
      remoteAddress: this.remoteAddress,
      reason,
      detail: describe(opts.detail),
    };
    if (opts.graceful) this.#ctx.logger.debug(log, 'MQTT client disconnected');
    else this.#ctx.logger.info(log, 'MQTT connection closed');
    let flushing = opts.flush ?? false;
    if (opts.reasonCode !== undefined && this.protocolVersion === 5 && wasConnected) {
      // [MQTT-4.13.2-1] the server may send DISCONNECT with a reason code before closing.
      // A reason string is allowed on DISCONNECT whatever Request Problem Information says [MQTT-3.1.2-29].
      const reasonString = describe(opts.detail);
      flushing = this.send({
        cmd: 'disconnect',
        reasonCode: opts.reasonCode,
        ...(reasonString !== undefined && { properties: { reasonString } }),
      });
    }
    if (wasConnected) {
      this.#ctx.connectionClosed(this, {
        graceful: opts.graceful ?? false,
        reason,
        publishWill: opts.publishWill ?? !opts.graceful,
      });
    }
    if (flushing) this.#stream.end(() => this.#stream.destroy());
    else this.#stream.destroy();
  }

  /** Closes for a protocol violation: MQTT 5 gets DISCONNECT with `reasonCode` first. */
  protocolError(reason: string, detail: string, reasonCode = 0x82): void {
    this.close(reason, { reasonCode, detail: BrokerErrors.PROTOCOL_ERROR.create([detail]).message });
  }

  #onData = (chunk: Buffer): void => {
    if (this.#state === 'closed') return;
    const tooLarge = this.#guard.check(chunk);
    if (tooLarge >= 0) {
      // A packet over the Maximum Packet Size we announced [MQTT-3.2.2-15] ends the connection with 0x95 (MQTT 5 §4.13).
      this.close('packet_too_large', {
        reasonCode: 0x95,
        detail: BrokerErrors.PACKET_TOO_LARGE.create([tooLarge, this.#ctx.limits.maxPacketSize]).message,
      });
      return;
    }
    try {
      this.#parser.parse(chunk);
    } catch (err) {
      // The codec reports bad input as 'error' events; a throw from it is treated the same way,
      // so no byte sequence can take the broker down.
      this.#onParseError(err instanceof Error ? err : new Error(String(err)));
    }
    if (this.#throttle && this.#state === 'connected') this.#throttle.afterChunk(chunk.length);
  };

  #onPacket = (packet: Packet): void => {
    if (this.#state === 'closed') return;
    this.#lastActivity = this.#ctx.clock.now();
    switch (this.#state) {
      case 'awaiting-connect':
        if (packet.cmd !== 'connect') {
          // [MQTT-3.1.0-1] the first packet from the client must be CONNECT.
          this.protocolError('protocol_error', `expected CONNECT, got ${packet.cmd}`);
          return;
        }
        this.#state = 'connecting';
        // Authentication may be asynchronous; hold further input until it is decided.
        this.#stream.pause();
        // handleConnect never rejects: every failure ends in a refusing CONNACK and close(). It
        // is not awaited by anyone, because an authenticator that never answers must not hold
        // up the broker's shutdown; the connect timeout closes such a connection.
        void handleConnect(this.#ctx, this, packet);
        return;
      case 'connecting':
        if (this.auth?.receive(packet)) return;
        this.#backlog.push(packet);
        return;
      case 'connected':
        if (packet.cmd === 'publish') this.#throttle?.message();
        this.#handle(packet);
    }
  };

  #handle(packet: Packet): void {
    try {
      dispatch(this.#ctx, this, packet);
    } catch (err) {
      // A handler bug must cost this client its connection, never the broker its process.
      this.#ctx.logger.error({ err, clientId: this.clientId, cmd: packet.cmd }, 'MQTT handler failed');
      this.close('internal_error', { reasonCode: 0x83, detail: err });
    }
  }

  #onParseError = (err: Error): void => {
    this.close('malformed', {
      reasonCode: 0x81,
      detail: BrokerErrors.MALFORMED_PACKET.create([err.message]).message,
    });
  };

  #onDrain = (): void => {
    this.#writable = true;
    this.session?.pump();
  };

  #onStreamError = (err: Error): void => {
    this.close('socket_error', { detail: err });
  };

  #onStreamClose = (): void => {
    this.close('socket_closed');
  };

  #checkKeepalive = (): void => {
    this.#timer = undefined;
    if (this.#state !== 'connected') return;
    const idle = this.#ctx.clock.now() - this.#lastActivity;
    if (idle >= this.#keepaliveMs) {
      this.close('keepalive', {
        reasonCode: 0x8d, // Keep Alive timeout
        detail: BrokerErrors.KEEPALIVE_TIMEOUT.create([this.#keepaliveMs]).message,
      });
      return;
    }
    this.#timer = this.#ctx.clock.setTimeout(this.#checkKeepalive, this.#keepaliveMs - idle);
  };
}
