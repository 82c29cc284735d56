import { describe, expect, it } from 'vitest';
import type { BoundMeasure } from './measure.js';
import { valueBetween } from './measure.js';
import type { Snapshot } from './snapshot.js';
import { NodeType } from './toolkit-codes.js';

/** Two nodes (0: junction at 10 m, 1: tank at 50 m) and one link (0: a pump). */
function snap(
  time: number,
  o: { head: [number, number]; flow: number; status: 0 | 1; cl?: number },
): Snapshot {
  return {
    time,
    head: Float64Array.from(o.head),
    demand: Float64Array.of(1, 0),
    quality: Float64Array.of(o.cl ?? 1, 1),
    flow: Float64Array.of(o.flow),
    status: Uint8Array.of(o.status),
    setting: Float64Array.of(o.status),
  };
}
const junctionPressure: BoundMeasure = {
  measure: { node: 'J', quantity: 'pressure' },
  index: 0,
  elevation: 10,
  nodeType: NodeType.Junction,
};
const junctionQuality: BoundMeasure = {
  measure: { node: 'J', quantity: 'quality' },
  index: 0,
  elevation: 10,
  nodeType: NodeType.Junction,
};
const tankLevel: BoundMeasure = {
  measure: { node: 'T', quantity: 'level' },
  index: 1,
  elevation: 50,
  nodeType: NodeType.Tank,
};
const pumpFlow: BoundMeasure = { measure: { link: 'P', quantity: 'flow' }, index: 0, elevation: 0 };
const pumpStatus: BoundMeasure = { measure: { link: 'P', quantity: 'status' }, index: 0, elevation: 0 };
const pumpSpeed: BoundMeasure = { measure: { link: 'P', quantity: 'speed' }, index: 0, elevation: 0 };

describe('valueBetween', () => {
  const a = snap(0, { head: [60, 52], flow: 100, status: 1, cl: 1.0 });

  it('interpolates linearly between steps without a status change', () => {
    const b = snap(300, { head: [70, 53], flow: 160, status: 1, cl: 0.7 });
    expect(valueBetween(a, b, pumpFlow, 0)).toBe(100);
    expect(valueBetween(a, b, pumpFlow, 150)).toBe(130);
    expect(valueBetween(a, b, pumpFlow, 300)).toBe(160);
    expect(valueBetween(a, b, tankLevel, 75)).toBeCloseTo(2.25, 12);
    // Pressure = (head − elevation) × 9.80665 kPa/m.
    expect(valueBetween(a, b, junctionPressure, 150)).toBeCloseTo(55 * 9.80665, 9);
  });

  it('holds everything but storage and quality until a pump switch, then steps', () => {
    const b = snap(300, { head: [40, 51], flow: 0, status: 0, cl: 0.4 });
    expect(valueBetween(a, b, pumpFlow, 299)).toBe(100);
    expect(valueBetween(a, b, pumpStatus, 299)).toBe(1);
    expect(valueBetween(a, b, pumpSpeed, 299)).toBe(100);
    expect(valueBetween(a, b, junctionPressure, 299)).toBeCloseTo(50 * 9.80665, 9);
    expect(valueBetween(a, b, pumpFlow, 300)).toBe(0);
    expect(valueBetween(a, b, pumpStatus, 300)).toBe(0);
    expect(valueBetween(a, b, pumpSpeed, 300)).toBe(0);
    // Tank levels integrate flow and quality moves continuously: both stay linear.
    expect(valueBetween(a, b, tankLevel, 150)).toBeCloseTo(1.5, 12);
    expect(valueBetween(a, b, junctionQuality, 150)).toBeCloseTo(0.7, 12);
  });
});
