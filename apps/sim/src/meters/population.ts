/**
 * A population of simulated household water meters. Each meter draws water along the diurnal
 * profile, scaled by its household's size (a seeded lognormal factor) and jittered minute by
 * minute (seeded noise from signal/prng.ts, so a given seed gives the same readings on every run,
 * whatever the tick rate). Totals only grow and are kept at the register's 0.01 m³ resolution;
 * a closed valve stops the flow. A seeded few meters report a low battery.
 *
 * State lives in a `Map<address, MeterState>` that the concentrator serves as is.
 */
import type { MeterState } from '@watershed/driver-cjt188';
import { gaussian, streamOf, uniform } from '../signal/prng.js';
import { diurnalFactor } from './diurnal.js';

export interface PopulationOptions {
  count: number;
  seed: number;
  /** Mean use of one household, m³ per day (≈ 150 L per person × 3 people). */
  dailyM3PerMeter?: number;
  /** Share of meters whose battery is low. */
  batteryLowShare?: number;
  /** First meter number; meters are numbered consecutively from it (14 digits). */
  firstAddress?: number;
  /** Simulated time (s) the totals start from. */
  start: number;
}

/** Meters integrate in steps of this many simulated seconds (the noise changes every minute)… */
const STEP_S = 60;
/**
 * … unless one call would cost more than this many meter-steps (a big population at a high
 * speed): then the step grows so a tick stays cheap, at the price of coarser noise.
 */
const MAX_METER_STEPS = 500_000;
/** Settlement date: every 30 simulated days at midnight (monthly billing). */
const SETTLEMENT_PERIOD_S = 30 * 86_400;

interface Household {
  readonly address: string;
  readonly stream: number;
  readonly scale: number;
  /** Unrounded cumulative flow, m³. */
  volume: number;
}

export class MeterPopulation {
  readonly meters = new Map<string, MeterState>();
  readonly #households: Household[] = [];
  readonly #byAddress = new Map<string, Household>();
  readonly #seed: number;
  readonly #dailyM3: number;
  #time: number;

  constructor(opts: PopulationOptions) {
    this.#seed = opts.seed;
    this.#dailyM3 = opts.dailyM3PerMeter ?? 0.45;
    this.#time = opts.start;
    const first = opts.firstAddress ?? 10_000_001;
    const lowShare = opts.batteryLowShare ?? 0.03;
    for (let i = 0; i < opts.count; i++) {
      const address = String(first + i).padStart(14, '0');
      const stream = streamOf(`meter:${address}`);
      // Household size: lognormal around 1 (σ 0.4), so a few big users and many small ones.
      const scale = Math.exp(0.4 * gaussian(this.#seed, stream, 0) - 0.08);
      const volume = Math.round(uniform(this.#seed, stream, 1) * 2_000 * 100) / 100;
      const batteryLow = uniform(this.#seed, stream, 2) < lowShare;
      const h: Household = { address, stream, scale, volume };
      this.#households.push(h);
      this.#byAddress.set(address, h);
      this.meters.set(address, {
        total: volume,
        settlementTotal: Math.max(0, Math.round((volume - 30 * this.#dailyM3 * scale) * 100) / 100),
        valveOpen: true,
        batteryLow,
      });
    }
  }

  get addresses(): string[] {
    return this.#households.map((h) => h.address);
  }

  /** Simulated time the totals have reached. */
  get time(): number {
    return this.#time;
  }

  /** Flow of one household at `t` (m³/h) before its valve: the profile × its size × its noise. */
  householdFlow(address: string, t: number): number {
    const h = this.#byAddress.get(address);
    return h ? this.#flow(h, t) : 0;
  }

  /** Total flow of every open meter at `t`, m³/h: what the district would deliver to them. */
  demand(t: number): number {
    let sum = 0;
    for (const h of this.#households) if (this.meters.get(h.address)?.valveOpen) sum += this.#flow(h, t);
    return sum;
  }

  /** Integrates every meter up to simulated time `t` (s); earlier times are ignored. */
  advanceTo(t: number): void {
    const n = Math.max(1, this.#households.length);
    const step = Math.max(STEP_S, Math.ceil(((t - this.#time) * n) / MAX_METER_STEPS / STEP_S) * STEP_S);
    while (this.#time < t) {
      const dt = Math.min(step, t - this.#time);
      const mid = this.#time + dt / 2;
      for (const h of this.#households) {
        const m = this.meters.get(h.address);
        if (!m?.valveOpen) continue;
        h.volume += (this.#flow(h, mid) * dt) / 3600;
        // The register shows whole hundredths of a m³, like the meter's BCD counter.
        m.total = Math.floor(h.volume * 100) / 100;
      }
      const before = Math.floor(this.#time / SETTLEMENT_PERIOD_S);
      this.#time += dt;
      if (Math.floor(this.#time / SETTLEMENT_PERIOD_S) > before) this.#settle();
    }
  }

  #flow(h: Household, t: number): number {
    const minute = Math.floor(t / 60);
    // ±25 % minute-to-minute variation, never negative.
    const jitter = Math.max(0, 1 + 0.25 * gaussian(this.#seed, h.stream, 1000 + minute));
    return (this.#dailyM3 / 24) * h.scale * diurnalFactor(t) * jitter;
  }

  #settle(): void {
    for (const m of this.meters.values()) m.settlementTotal = m.total;
  }
}
