/**
 * What the meters on a simulated bus answer (see concentrator.ts for the protocol summary). Pure
 * apart from the meters' state it reads and the valve state it changes; shared by the TCP
 * concentrator and by a bus served over any Duplex (an in-memory serial line in tests).
 */
import type { Duplex } from 'node:stream';
import type { Clock } from '@watershed/common';
import { BROADCAST_ADDRESS } from '../codec/address.js';
import { CONTROL, encodeFrame, functionOf, isResponse, type Frame } from '../codec/frame.js';
import { FrameSplitter } from '../codec/splitter.js';
import {
  answer,
  DI,
  encodeMeterData,
  encodeStatus,
  METER_TYPE_COLD_WATER,
  UNIT,
  VALVE_CLOSE,
  VALVE_OPEN,
  type MeterTime,
} from '../codec/messages.js';

/** One simulated meter. Mutable: the owner updates totals and flags between requests. */
export interface MeterState {
  /** Current cumulative flow, m³ (sent with 0.01 m³ resolution). */
  total: number;
  /** Cumulative flow at the last settlement date, m³. */
  settlementTotal: number;
  valveOpen: boolean;
  batteryLow: boolean;
  /**
   * A stuck valve: ST valve bits read 11 (abnormal) and commands are refused. Set by the owner, or
   * by the bus when `onValve` refuses a command; only the owner clears it (the valve was repaired).
   */
  valveFault?: boolean;
  /** Meter type T; default 10H (cold water). */
  meterType?: number;
  /** ST byte 1, vendor-defined. */
  vendorStatus?: number;
}

export interface BusOptions {
  /** Meters on the bus by 14-digit printed address (A6..A0). */
  meters: ReadonlyMap<string, MeterState>;
  /**
   * Called on a valve command before the state changes; return false to refuse (the valve is
   * stuck), and the meter answers with its valve status abnormal.
   */
  onValve?(address: string, open: boolean): boolean | void;
  /** Meters' clock. */
  clock: Clock;
  /** Offset of the meters' local time from UTC, minutes (China Standard Time is +480). */
  utcOffsetMinutes?: number;
}

/** The answer the bus gives to `req`, or undefined when every meter stays silent. */
export function respondOnBus(opts: BusOptions, req: Frame): Frame | undefined {
  const clock = opts.clock;
  if (isResponse(req)) return undefined;
  const fn = functionOf(req);
  if (req.address === BROADCAST_ADDRESS) {
    if (fn !== CONTROL.READ_ADDRESS || req.di !== DI.READ_ADDRESS || opts.meters.size !== 1) return undefined;
    const [address, meter] = [...opts.meters][0] ?? [];
    if (address === undefined || !typeMatches(req, meter)) return undefined;
    return answer(req, new Uint8Array(0), address);
  }
  const meter = opts.meters.get(req.address);
  if (!meter || !typeMatches(req, meter)) return undefined;
  if (fn === CONTROL.READ_DATA && req.di === DI.METER_DATA) {
    return answer(
      req,
      encodeMeterData({
        total: meter.total,
        unit: UNIT.M3,
        settlementTotal: meter.settlementTotal,
        settlementUnit: UNIT.M3,
        time: meterTime(clock.now(), opts.utcOffsetMinutes ?? 0),
        status: { valve: valveOf(meter), batteryLow: meter.batteryLow, raw: 0 },
        vendorStatus: meter.vendorStatus ?? 0,
      }),
    );
  }
  if (fn === CONTROL.READ_ADDRESS && req.di === DI.READ_ADDRESS) return answer(req, new Uint8Array(0));
  if (fn === CONTROL.WRITE_DATA && req.di === DI.VALVE) {
    const cmd = req.payload[0];
    if (cmd !== VALVE_OPEN && cmd !== VALVE_CLOSE) return undefined;
    const open = cmd === VALVE_OPEN;
    const accepted = !meter.valveFault && opts.onValve?.(req.address, open) !== false;
    if (accepted) meter.valveOpen = open;
    else meter.valveFault = true;
    return answer(
      req,
      encodeStatus({
        valve: valveOf(meter),
        batteryLow: meter.batteryLow,
        vendor: meter.vendorStatus ?? 0,
      }),
    );
  }
  return undefined;
}

/**
 * Serves a bus on one stream: requests in, answers out (with two FEH preambles, as meters send).
 * Returns a function that detaches it. `onAnswer` counts answers by DI.
 */
export function serveBus(stream: Duplex, opts: BusOptions, onAnswer?: (di: number) => void): () => void {
  const splitter = new FrameSplitter((req) => {
    const res = respondOnBus(opts, req);
    if (!res) return;
    onAnswer?.(req.di);
    if (!stream.destroyed) stream.write(encodeFrame(res, 2));
  });
  const onData = (chunk: Buffer): void => splitter.push(chunk);
  stream.on('data', onData);
  return () => stream.off('data', onData);
}

function typeMatches(req: Frame, meter: MeterState | undefined): boolean {
  // AAH as the type is the wildcard many masters use when they do not know the meter type.
  return req.meterType === 0xaa || req.meterType === (meter?.meterType ?? METER_TYPE_COLD_WATER);
}

function valveOf(m: MeterState): 'open' | 'closed' | 'abnormal' {
  if (m.valveFault) return 'abnormal';
  return m.valveOpen ? 'open' : 'closed';
}

function meterTime(nowMs: number, offsetMinutes: number): MeterTime {
  const d = new Date(nowMs + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}
