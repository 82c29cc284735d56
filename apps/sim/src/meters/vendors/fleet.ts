import type { Logger } from '@watershed/common';
import { streamOf, uniform } from '../../signal/prng.js';
import { MeterPopulation } from '../population.js';
import { VENDORS, type MeterReading, type Vendor } from './shapes.js';
import type { Uplink } from './uplink.js';

export interface VendorFleetOptions {
  vendor: Vendor;
  count: number;
  /** Reporting interval, simulated seconds. */
  intervalS: number;
  seed: number;
  /** Simulated time the meters start from (s since 00:00 of day 0). */
  start: number;
  /** Calendar time of simulated second 0, ms epoch: the meters' clocks. */
  epochMs: number;
  /** Index of the fleet among the configured ones, so two fleets of a vendor get distinct ids. */
  index: number;
  dailyM3PerMeter?: number;
  uplink: Uplink;
  logger: Logger;
}

interface Device {
  readonly id: string;
  readonly address: string;
  /** Simulated time of the next report. */
  next: number;
}

/** Reports land on whole simulated minutes, so a fleet integrates at most interval/60 times per period. */
const SLOT_S = 60;

/**
 * A fleet of one vendor's NB-IoT meters. Consumption comes from the meter population's demand
 * model (seeded households on the diurnal profile); each meter reports every `intervalS`
 * simulated seconds at a seeded offset within the interval, as deployed meters spread their
 * uplinks, with the register value at the report time. Sends run one after another in report
 * order, so a receiver sees each meter's totals in time order.
 */
export class VendorFleet {
  readonly vendor: Vendor;
  readonly ids: readonly string[];
  readonly #o: VendorFleetOptions;
  readonly #population: MeterPopulation;
  readonly #devices: Device[];
  #chain: Promise<void> = Promise.resolve();
  #sent = 0;
  #failed = 0;

  constructor(o: VendorFleetOptions) {
    this.#o = o;
    this.vendor = o.vendor;
    const profile = VENDORS[o.vendor];
    const first = 90_000_000_000 + o.index * 1_000_000;
    this.#population = new MeterPopulation({
      count: o.count,
      seed: o.seed,
      start: o.start,
      firstAddress: first,
      ...(o.dailyM3PerMeter !== undefined ? { dailyM3PerMeter: o.dailyM3PerMeter } : {}),
    });
    const slots = Math.max(1, Math.floor(o.intervalS / SLOT_S));
    const stream = streamOf(`vendor:${o.vendor}:${o.index}`);
    this.#devices = this.#population.addresses.map((address, n) => {
      const offset = Math.floor(uniform(o.seed, stream, n) * slots) * Math.min(SLOT_S, o.intervalS);
      const periodStart = Math.floor(o.start / o.intervalS) * o.intervalS;
      const next = periodStart + offset < o.start ? periodStart + offset + o.intervalS : periodStart + offset;
      return { id: profile.idOf(o.index * 1_000_000 + n + 1), address, next };
    });
    this.ids = this.#devices.map((d) => d.id);
  }

  /** Messages accepted by the peer, and sends that failed (logged, not retried). */
  get stats(): { sent: number; failed: number } {
    return { sent: this.#sent, failed: this.#failed };
  }

  /**
   * Takes every reading due by simulated time `t`, in time order across the fleet (a meter that
   * fell several periods behind reports each one it missed), and queues it for sending.
   */
  advanceTo(t: number): void {
    const due: { at: number; n: number }[] = [];
    this.#devices.forEach((d, n) => {
      for (let at = d.next; at <= t; at += this.#o.intervalS) due.push({ at, n });
    });
    due.sort((x, y) => x.at - y.at || x.n - y.n);
    const profile = VENDORS[this.#o.vendor];
    for (const { at, n } of due) {
      const d = this.#devices[n]!;
      this.#population.advanceTo(at);
      const body = JSON.stringify(profile.encode(d.id, this.#reading(d, at)));
      this.#chain = this.#send(this.#chain, profile.topicOf(d.id), body);
      d.next = at + this.#o.intervalS;
    }
    this.#population.advanceTo(t);
  }

  /** Waits for every queued send, then closes the uplink. */
  async close(): Promise<void> {
    await this.#chain;
    await this.#o.uplink.close();
  }

  #reading(d: Device, at: number): MeterReading {
    const state = this.#population.meters.get(d.address);
    const stream = streamOf(`rssi:${d.id}`);
    const counter = Math.floor(at / this.#o.intervalS);
    return {
      ts: this.#o.epochMs + at * 1000,
      totalM3: state?.total ?? 0,
      batteryPct: state?.batteryLow ? 8 : 60 + Math.floor(uniform(this.#o.seed, stream, 0) * 40),
      valveOpen: state?.valveOpen ?? true,
      batteryLow: state?.batteryLow ?? false,
      rssi: -70 - Math.round(uniform(this.#o.seed, stream, counter) * 40),
    };
  }

  /** Never rejects: a failed send is counted and logged, and the next one still goes. */
  async #send(previous: Promise<void>, topic: string, body: string): Promise<void> {
    await previous;
    try {
      await this.#o.uplink.send(topic, body);
      this.#sent++;
    } catch (err) {
      this.#failed++;
      this.#o.logger.warn({ err: (err as Error).message, topic }, 'vendor meter uplink failed');
    }
  }
}
