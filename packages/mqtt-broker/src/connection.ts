import type { TimerHandle } from '@watershed/common';
import { generate, type Packet } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import { BEFORE_CONNECT, decodePacket, settingsFor, type DecodeSettings } from './codec/decode.js';
import { FrameSplitter } from './codec/frame-splitter.js';
import type { AckQueue } from './ack-queue.js';
import type { HandlerContext } from './context.js';
import { BrokerErrors } from './errors.js';
import { dispatch, handleConnect } from './handlers/index.js';
import type { StreamOrigin } from './listeners/serve.js';
import { OutboundAliases } from './outbound-aliases.js';
import { InboundThrottle } from './rate-limit.js';
import { encodeDelivery } from './outgoing-encoding.js';
import { describe } from './outgoing-properties.js';
import type { DeliveryTarget, Outgoing, Session } from './session.js';
import type { ClientInfo } from './types.js';
import type { CloseOptions, Will } from './connection-types.js';
import type { ConnectionAuth } from './handlers/auth.js';
import { newTraffic, type Traffic } from './traffic.js';

type State = 'awaiting-connect' | 'connecting' | 'connected' | 'closed';

/** Back-reference from a stream to its connection, so one listener function serves all streams. */
const CONNECTION = Symbol('watershed.mqtt.connection');
type OwnedStream = Duplex & { [CONNECTION]?: Connection };

/** Encoder options per protocol level, shared by all connections of that level. */
const ENCODE_OPTIONS = {
  3: Object.freeze({ protocolVersion: 3 }),
  4: Object.freeze({ protocolVersion: 4 }),
  5: Object.freeze({ protocolVersion: 5 }),
} as const;

export type { CloseOptions, Will } from './connection-types.js';

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
  info: ClientInfo | undefined;
  /** MQTT 5 enhanced authentication and identity expiry, when this connection has either. */
  auth: ConnectionAuth | undefined;
  /** Acks waiting for durable in-process subscribers (ack-queue.ts); created on first use. */
  acks: AckQueue | undefined;
  /** This connection's bytes and packets in and out (see traffic.ts); the broker's totals beside. */
  readonly traffic: Traffic = newTraffic();

  // Memory per connection is a target (issue 3: ≤ 4 KB RSS per idle connection, of which a Node
  // socket takes most): state a v3.1.1 client may never need is created on first use, stream
  // listeners are shared functions rather than per-connection closures, and there is no
  // per-connection parser — the FrameSplitter keeps a buffer only while a packet is split.
  readonly #ctx: HandlerContext;
  /** The broker's running totals, bumped with this connection's own. */
  readonly #totals: Traffic;
  readonly #stream: OwnedStream;
  readonly #frames: FrameSplitter;
  /** How this client's packets decode: from its CONNECT, as mqtt-packet would (codec/decode.ts). */
  #decodeSettings: DecodeSettings = BEFORE_CONNECT;
  #state: State = 'awaiting-connect';
  #backlog: Packet[] | undefined;
  #writable = true;
  #lastActivity: number;
  #keepaliveMs = 0;
  #timer: TimerHandle | undefined;
  #encodeOptions: { readonly protocolVersion: number } = ENCODE_OPTIONS[4];
  #corked = false;
  #inboundAliases: Map<number, string> | undefined;
  #aliases: OutboundAliases | undefined;
  /** Inbound rate limit, when the broker has one. */
  readonly #throttle: InboundThrottle | undefined;

  constructor(
    ctx: HandlerContext,
    stream: Duplex,
    remoteAddress: string | undefined,
    origin: StreamOrigin = {},
  ) {
    this.#ctx = ctx;
    this.#totals = ctx.traffic;
    this.#stream = stream;
    this.remoteAddress = remoteAddress;
    this.origin = origin;
    const { maxMessagesPerSecond: msgs, maxBytesPerSecond: bytes } = ctx.limits;
    if (!InboundThrottle.unlimited(msgs, bytes))
      this.#throttle = new InboundThrottle(ctx.clock, stream, msgs, bytes, () => this.acks?.full === true);
    this.inflightLimit = ctx.limits.maxInflight;
    this.#lastActivity = ctx.clock.now();
    this.#frames = new FrameSplitter(ctx.limits.maxPacketSize);
    this.#stream[CONNECTION] = this;
    stream.on('data', Connection.#onStreamData);
    stream.on('drain', Connection.#onStreamDrain);
    stream.on('error', Connection.#onStreamError);
    stream.on('close', Connection.#onStreamClose);
    const ms = ctx.limits.connectTimeoutMs;
    this.#timer = ctx.clock.setTimeout(() => {
      if (this.#state === 'awaiting-connect' || this.#state === 'connecting') {
        this.close('connect_timeout', { detail: BrokerErrors.CONNECT_TIMEOUT.create([ms]).message });
      }
    }, ms);
  }

  // Stream listeners: one function each for all connections, `this` being the stream.
  static #onStreamData(this: OwnedStream, chunk: Buffer): void {
    const conn = this[CONNECTION];
    if (conn) conn.#receive(chunk);
  }

  static #onStreamDrain(this: OwnedStream): void {
    const conn = this[CONNECTION];
    if (!conn) return;
    conn.#writable = true;
    conn.session?.pump();
  }

  static #onStreamError(this: OwnedStream, err: Error): void {
    this[CONNECTION]?.close('socket_error', { detail: err });
  }

  static #onStreamClose(this: OwnedStream): void {
    this[CONNECTION]?.close('socket_closed');
  }

  static #uncork(conn: Connection): void {
    conn.#corked = false;
    conn.#stream.uncork();
  }

  /** Topic aliases the client set up for its PUBLISHes (MQTT 5 §3.3.2.3.4); created on first use. */
  get inboundAliases(): Map<number, string> {
    return (this.#inboundAliases ??= new Map());
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
    this.#encodeOptions = ENCODE_OPTIONS[version];
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
      this.#timer = this.#ctx.clock.setTimeout(() => this.#checkKeepalive(), this.#keepaliveMs);
  }

  /** Reads on before CONNACK, for the client's AUTH packets in an enhanced exchange (MQTT 5 §4.12). */
  readDuringConnect(): void {
    if (this.#state === 'connecting') this.#stream.resume();
  }

  /** Stops reading (too many acks owed); `resumeInput` reads on. */
  pauseInput(): void {
    this.#stream.pause();
  }

  /** Resumes reading and handles the packets that arrived while CONNECT was being decided. */
  resumeInput(): void {
    if (this.#state !== 'connected') return;
    // A rate-limit pause ends on its own timer.
    if (!this.#throttle?.paused) this.#stream.resume();
    const backlog = this.#backlog;
    this.#backlog = undefined;
    for (const packet of backlog ?? []) {
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
    let bytes: Buffer | undefined;
    try {
      bytes = encodeDelivery(out, dup, this, this.#ctx.clock);
    } catch (err) {
      this.#ctx.logger.error({ err, clientId: this.clientId, topic: out.topic }, 'cannot encode PUBLISH');
      return false;
    }
    if (bytes === undefined) return false;
    this.#write(bytes);
    return true;
  }

  /** Topic aliases proposed to this client (MQTT 5 §3.3.2.3.4); created on first use. */
  get outboundAliases(): OutboundAliases {
    return (this.#aliases ??= new OutboundAliases());
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
      process.nextTick(Connection.#uncork, this);
    }
    // Every write is one encoded packet (send, writePublish).
    this.traffic.bytesOut += bytes.length;
    this.traffic.packetsOut++;
    this.#totals.bytesOut += bytes.length;
    this.#totals.packetsOut++;
    if (!stream.write(bytes)) this.#writable = false;
  }

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
    this.#ctx.socketReleased(this);
    if (this.#timer) this.#ctx.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#throttle?.stop();
    this.auth?.dispose();
    this.#backlog = undefined;
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

  #receive(chunk: Buffer): void {
    if (this.#state === 'closed') return;
    this.traffic.bytesIn += chunk.length;
    this.#totals.bytesIn += chunk.length;
    const frames = this.#frames;
    frames.push(chunk);
    for (;;) {
      let packet: Packet;
      try {
        const frame = frames.next();
        if (frame === undefined) break;
        packet = decodePacket(frame, this.#decodeSettings);
      } catch (err) {
        this.#codecError(err);
        return;
      }
      this.#onPacket(packet);
      if (this.closed) return;
    }
    if (this.#throttle && this.#state === 'connected') this.#throttle.afterChunk(chunk.length);
  }

  /** Input that cannot be framed or decoded: no byte sequence may take the broker down. */
  #codecError(err: unknown): void {
    if (BrokerErrors.PACKET_TOO_LARGE.is(err)) {
      // A packet over the Maximum Packet Size we announced [MQTT-3.2.2-15] ends the connection with 0x95 (MQTT 5 §4.13).
      this.close('packet_too_large', { reasonCode: 0x95, detail: err.message });
      return;
    }
    const detail = BrokerErrors.MALFORMED_PACKET.is(err)
      ? err.message
      : BrokerErrors.MALFORMED_PACKET.create([describe(err) ?? 'undecodable']).message;
    this.close('malformed', { reasonCode: 0x81, detail });
  }

  #onPacket(packet: Packet): void {
    this.traffic.packetsIn++;
    this.#totals.packetsIn++;
    this.#lastActivity = this.#ctx.clock.now();
    switch (this.#state) {
      case 'awaiting-connect':
        if (packet.cmd !== 'connect') {
          // [MQTT-3.1.0-1] the first packet from the client must be CONNECT.
          this.protocolError('protocol_error', `expected CONNECT, got ${packet.cmd}`);
          return;
        }
        this.#state = 'connecting';
        // Later packets decode as this CONNECT says, as they did in mqtt-packet's own parser.
        this.#decodeSettings = settingsFor(
          packet.protocolVersion,
          (packet as { bridgeMode?: boolean }).bridgeMode,
        );
        // Authentication may be asynchronous; hold further input until it is decided.
        this.#stream.pause();
        // handleConnect never rejects: every failure ends in a refusing CONNACK and close(). It
        // is not awaited by anyone, because an authenticator that never answers must not hold
        // up the broker's shutdown; the connect timeout closes such a connection.
        void handleConnect(this.#ctx, this, packet);
        return;
      case 'connecting':
        if (this.auth?.receive(packet)) return;
        (this.#backlog ??= []).push(packet);
        return;
      case 'connected':
        if (packet.cmd === 'publish') this.#throttle?.message();
        this.#handle(packet);
    }
  }

  #handle(packet: Packet): void {
    try {
      dispatch(this.#ctx, this, packet);
    } catch (err) {
      // A handler bug must cost this client its connection, never the broker its process.
      this.#ctx.logger.error({ err, clientId: this.clientId, cmd: packet.cmd }, 'MQTT handler failed');
      this.close('internal_error', { reasonCode: 0x83, detail: err });
    }
  }

  #checkKeepalive(): void {
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
    this.#timer = this.#ctx.clock.setTimeout(() => this.#checkKeepalive(), this.#keepaliveMs - idle);
  }
}
