import { gaussian, streamOf } from './prng.js';

/**
 * How an instrument turns a true value into a reading: additive white Gaussian noise, clamping
 * to the instrument's range and quantisation to its resolution (the last digit a transmitter or
 * its A/D converter resolves).
 */
export interface SensorSpec {
  /** Standard deviation of the noise, in the reading's unit; 0 = noiseless. */
  noise?: number;
  /** Smallest step of the reading; 0 = continuous. */
  resolution?: number;
  /** Range of the instrument; readings saturate at its ends. */
  min?: number;
  max?: number;
}

/** A sensor bound to a seed and a tag name, read at integer sample counters. */
export class Sensor {
  readonly #spec: SensorSpec;
  readonly #seed: number;
  readonly #stream: number;
  readonly #decimals: number;

  constructor(spec: SensorSpec, seed: number, tag: string) {
    this.#spec = spec;
    this.#seed = seed >>> 0;
    this.#stream = streamOf(tag);
    this.#decimals = decimalsOf(spec.resolution ?? 0);
  }

  /** The reading of true value `v` at sample number `n`; the same (seed, tag, n, v) always gives the same reading. */
  read(v: number, n: number): number {
    const s = this.#spec;
    let r = v;
    if (s.noise) r += s.noise * gaussian(this.#seed, this.#stream, n);
    if (s.min !== undefined && r < s.min) r = s.min;
    if (s.max !== undefined && r > s.max) r = s.max;
    if (s.resolution) {
      // Rounding to the resolution's decimals as well removes binary fractions like 0.30000000000000004.
      r = Number((Math.round(r / s.resolution) * s.resolution).toFixed(this.#decimals));
      if (Object.is(r, -0)) r = 0;
    }
    return r;
  }
}

function decimalsOf(step: number): number {
  if (!step) return 0;
  const text = step.toString();
  const e = /e-(\d+)$/.exec(text);
  if (e) return Number(e[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
