import type { Clock, Logger } from '@watershed/common';
import type { DataType, Sample, SampleValue } from '@watershed/model';
import type { TSchema } from 'typebox';

/**
 * A tag as a driver sees it: a name, a driver-specific address string (validated by the
 * module's `parseAddress`) and the data type to decode. Scaling and deadband happen in the
 * edge runtime, not in drivers.
 */
export interface TagRef {
  readonly name: string;
  readonly address: string;
  readonly dataType: DataType;
}

export type LinkState = 'connecting' | 'connected' | 'disconnected' | 'backoff' | 'closed';

export interface DriverHealth {
  readonly state: LinkState;
  /** ms epoch when the state last changed. */
  readonly since: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
  readonly stats: {
    readonly requests: number;
    readonly failures: number;
    readonly timeouts: number;
    readonly reconnects: number;
    /** Round-trip of the last successful request, ms. */
    readonly lastRttMs?: number;
  };
}

/**
 * Lifecycle: `connect()` starts the driver and resolves once the first connection attempt is
 * done, whether or not it succeeded; the driver then keeps reconnecting by itself with backoff
 * until `close()`. Reads while disconnected resolve with bad-quality samples (never reject),
 * so a poll loop never stops on a device fault. `close()` is idempotent and releases every
 * socket and timer.
 */
export interface Driver {
  connect(): Promise<void>;
  close(): Promise<void>;
  health(): DriverHealth;
}

/** Reads the given tags; the result has one sample per tag, in the same order. */
export interface Readable {
  read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]>;
}

/** Writes one value; rejects with a WatershedError naming what went wrong. */
export interface Writable {
  write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void>;
}

export interface Subscription {
  close(): Promise<void>;
}

/** Report-by-exception sources (OPC UA monitored items, IEC 104 spontaneous data). */
export interface Subscribable {
  subscribe(tags: readonly TagRef[], onSample: (tag: string, sample: Sample) => void): Promise<Subscription>;
}

export interface BrowseNode {
  readonly address: string;
  readonly name: string;
  readonly dataType?: DataType;
  readonly writable?: boolean;
  readonly children?: readonly BrowseNode[];
}

export interface Browsable {
  browse(signal?: AbortSignal): Promise<BrowseNode[]>;
}

export interface DriverContext {
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What an address string means to the driver, or why it is not valid. */
export type AddressCheck = { ok: true } | { ok: false; message: string };

/**
 * A driver module describes itself; the edge registers modules in one explicit list.
 * `configSchema` validates a device's connection settings and feeds the console's forms.
 */
export interface DriverModule<Config = unknown, D extends Driver = Driver> {
  readonly id: string;
  readonly version: string;
  readonly description: string;
  readonly configSchema: TSchema;
  /** Checks one address for a data type; used to validate a config before it is applied. */
  checkAddress(address: string, dataType: DataType): AddressCheck;
  create(config: Config, ctx: DriverContext): D;
}

export function isReadable(d: Driver): d is Driver & Readable {
  return typeof (d as Partial<Readable>).read === 'function';
}

export function isWritable(d: Driver): d is Driver & Writable {
  return typeof (d as Partial<Writable>).write === 'function';
}

export function isSubscribable(d: Driver): d is Driver & Subscribable {
  return typeof (d as Partial<Subscribable>).subscribe === 'function';
}

export function isBrowsable(d: Driver): d is Driver & Browsable {
  return typeof (d as Partial<Browsable>).browse === 'function';
}
