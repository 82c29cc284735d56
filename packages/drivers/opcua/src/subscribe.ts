/**
 * Report-by-exception: one OPC UA subscription per subscribe() call, a monitored item per tag
 * (Part 4 §5.12), values pushed to the caller as samples with their source timestamps.
 *
 * The subscription follows the link: created when a session exists (now or later), left alone
 * when node-opcua restores the same session (it transfers the subscription itself, Part 4
 * §5.13.7), created again on a brand-new session. While the link is down every tag gets one bad
 * sample, so a consumer that only listens still learns that its values went stale.
 */
import type { Clock, Logger } from '@watershed/common';
import type { Subscription, TagRef } from '@watershed/driver-sdk';
import type { DataType, Sample } from '@watershed/model';
import type { OpcuaAddress } from './address.js';
import { toSample } from './codec/values.js';
import { OpcuaErrors } from './errors.js';
import type { OpcuaLink } from './session/link.js';
import type { UaMonitor, UaMonitorParams, UaSession } from './session/types.js';

/** Per-subscription settings; a tag-group's settings in the edge config map onto these. */
export interface SubscribeOptions {
  /** Sampling and publishing interval, ms (default: the device config's samplingIntervalMs). */
  readonly samplingIntervalMs?: number;
  /** Values the server queues per item between publishes (default: the device's queueSize). */
  readonly queueSize?: number;
  /** Absolute deadband (Part 4 §7.22.2) for numeric tags: one for all, or per tag name. */
  readonly deadband?: number | Readonly<Record<string, number>>;
}

export interface MonitoredTag {
  readonly tag: TagRef;
  readonly address: OpcuaAddress;
}

export type SampleSink = (tag: string, sample: Sample) => void;

const NUMERIC = new Set<DataType>([
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float',
  'double',
]);

export function monitorParams(
  tags: readonly MonitoredTag[],
  options: SubscribeOptions,
  defaults: { samplingIntervalMs: number; queueSize: number; sessionTimeoutMs: number },
): UaMonitorParams {
  const d = options.deadband;
  return {
    lifetimeMs: defaults.sessionTimeoutMs,
    samplingIntervalMs: options.samplingIntervalMs ?? defaults.samplingIntervalMs,
    queueSize: options.queueSize ?? defaults.queueSize,
    // A deadband on a non-numeric item is refused by the server (BadFilterNotAllowed).
    deadband: tags.map(({ tag }) =>
      !NUMERIC.has(tag.dataType) ? undefined : typeof d === 'number' ? d : d?.[tag.name],
    ),
  };
}

export class TagSubscription implements Subscription {
  readonly #tags: readonly MonitoredTag[];
  readonly #params: UaMonitorParams;
  readonly #sink: SampleSink;
  readonly #link: OpcuaLink;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #off: () => void;
  #session: UaSession | undefined;
  #monitor: UaMonitor | undefined;
  /** Attach and detach run one at a time, in the order the link reported. */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #stale = false;

  constructor(
    tags: readonly MonitoredTag[],
    params: UaMonitorParams,
    sink: SampleSink,
    link: OpcuaLink,
    clock: Clock,
    logger: Logger,
  ) {
    this.#tags = tags;
    this.#params = params;
    this.#sink = sink;
    this.#link = link;
    this.#clock = clock;
    this.#logger = logger;
    this.#off = link.onSession((session, fresh) => {
      if (session) {
        if (fresh || session !== this.#session) this.#enqueue(() => this.#attach(session));
        this.#stale = false;
      } else this.#lost();
    });
  }

  /** Creates the monitored items if a session exists now; rejects if the server refuses them. */
  async start(): Promise<void> {
    const session = this.#link.session();
    if (!session) {
      this.#lost();
      return;
    }
    const attach = this.#attach(session);
    this.#queue = attach.catch(() => undefined);
    await attach;
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#queue;
    this.#closed = true;
    this.#off();
    this.#enqueue(async () => {
      const m = this.#monitor;
      this.#monitor = undefined;
      if (m && this.#link.session() === this.#session) await m.close();
    });
    await this.#queue;
  }

  #enqueue(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(step).catch((err: unknown) => {
      this.#logger.warn({ err }, 'OPC UA subscription could not be created; retried on the next session');
    });
  }

  async #attach(session: UaSession): Promise<void> {
    if (this.#closed || (session === this.#session && this.#monitor)) return;
    this.#session = session;
    this.#monitor = undefined;
    const ids = this.#tags.map((t) => t.address.nodeId);
    this.#monitor = await session.monitor(ids, this.#params, (index, dv) => {
      const t = this.#tags[index];
      if (t && !this.#closed) this.#sink(t.tag.name, toSample(dv, t.tag.dataType, this.#clock.now()));
    });
  }

  #lost(): void {
    if (this.#closed || this.#stale) return;
    this.#stale = true;
    const now = this.#clock.now();
    const reason = OpcuaErrors.DISCONNECTED.code;
    for (const t of this.#tags) this.#sink(t.tag.name, { ts: now, value: null, quality: 'bad', reason });
  }
}
