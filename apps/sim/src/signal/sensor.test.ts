import { describe, expect, it } from 'vitest';
import { gaussian, uniform } from './prng.js';
import { Sensor } from './sensor.js';

describe('counter-based PRNG', () => {
  it('is a pure function of seed, stream and counter', () => {
    expect(uniform(7, 11, 1234)).toBe(uniform(7, 11, 1234));
    expect(uniform(7, 11, 1234)).not.toBe(uniform(8, 11, 1234));
    expect(uniform(7, 11, 1234)).not.toBe(uniform(7, 12, 1234));
    expect(uniform(7, 11, 1234)).not.toBe(uniform(7, 11, 1235));
  });

  it('draws uniforms in (0,1) and normals with mean 0 and unit variance', () => {
    const n = 20_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform(1, 2, i);
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
      const g = gaussian(1, 2, i);
      sum += g;
      sq += g * g;
    }
    // Standard error of the mean is 1/sqrt(n) ≈ 0.007; of the variance ≈ sqrt(2/n) ≈ 0.01.
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
  });
});

describe('Sensor', () => {
  it('gives the same readings for the same seed and different ones for another seed', () => {
    const a = new Sensor({ noise: 0.5, resolution: 0.1 }, 42, 'P335_FLOW');
    const b = new Sensor({ noise: 0.5, resolution: 0.1 }, 42, 'P335_FLOW');
    const c = new Sensor({ noise: 0.5, resolution: 0.1 }, 43, 'P335_FLOW');
    const ra = Array.from({ length: 50 }, (_, n) => a.read(100, n));
    expect(Array.from({ length: 50 }, (_, n) => b.read(100, n))).toEqual(ra);
    expect(Array.from({ length: 50 }, (_, n) => c.read(100, n))).not.toEqual(ra);
  });

  it('quantises to the resolution without binary fractions', () => {
    const s = new Sensor({ resolution: 0.01 }, 1, 'T1_LEVEL');
    expect(s.read(5.123456, 0)).toBe(5.12);
    expect(s.read(0.3 - 0.0000001, 0)).toBe(0.3);
    expect(new Sensor({ resolution: 5 }, 1, 'x').read(12.6, 0)).toBe(15);
  });

  it('saturates at the instrument range and keeps noise within a plausible band', () => {
    const s = new Sensor({ noise: 0.2, min: 0, max: 10 }, 9, 'CL');
    expect(s.read(-3, 0)).toBe(0);
    expect(s.read(30, 0)).toBe(10);
    const readings = Array.from({ length: 1000 }, (_, n) => s.read(5, n));
    expect(Math.max(...readings.map((r) => Math.abs(r - 5)))).toBeLessThan(0.2 * 5);
  });

  it('is noiseless and exact without a spec', () => {
    expect(new Sensor({}, 1, 'x').read(1.23456789, 7)).toBe(1.23456789);
  });
});
