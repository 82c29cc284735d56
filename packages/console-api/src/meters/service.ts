/**
 * What the meters resource needs from the server (apps/server/src/meters implements it): the
 * decoders and the ingest live there, beside the broker subscription that shares them.
 */

/** Why one item of an uplink batch was refused; `index` is its position in the batch. */
export interface MeterUplinkItemError {
  index: number;
  code: string;
  message: string;
}

export interface MeterUplinkResult {
  accepted: number;
  rejected: number;
  errors: MeterUplinkItemError[];
}

/** One vendor that posts its readings over HTTP. */
export interface MeterUplinkVendor {
  /** Most readings one POST may carry. */
  readonly maxBatch: number;
  /** True when `token` is one of the vendor's configured tokens (compared in constant time). */
  authenticate(token: string): boolean;
  /**
   * Decodes every item and stores the good ones. Resolves once they are durable in the store;
   * rejects (WS_ERR_METER_STORE_FAILED, 503) when the store failed, so the vendor retries.
   */
  ingest(items: readonly unknown[]): Promise<MeterUplinkResult>;
}

export interface MeterUplinkService {
  /** The HTTP vendor with this id; undefined when there is none (or it reports over MQTT). */
  vendor(id: string): MeterUplinkVendor | undefined;
}

/** A registered meter with its newest reading. */
export interface MeterView {
  id: string;
  vendor: string;
  protocol: 'cjt188' | 'mqtt-json' | 'http-json' | 'modbus';
  district: string;
  project: string;
  /** The point holding its register (m³, cumulative). */
  point: string;
  lastReadingTs?: number;
  lastTotalM3?: number;
  batteryLow?: boolean;
  valveOpen?: boolean;
}

export interface MeterReadingView {
  ts: number;
  totalM3: number;
}

export interface MeterRegistryService {
  /** Every registered meter, ordered by id; the routes filter by project. */
  list(): Promise<MeterView[]>;
  get(id: string): Promise<MeterView | undefined>;
  /** Register readings of one meter in [from, to], newest first, at most `limit`. */
  readings(id: string, range: { from: number; to: number; limit: number }): Promise<MeterReadingView[]>;
}
