import type { Point } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { isConventionalInflow, isMeterRegister, isWorksNode } from './districts.js';
import { qualityPoints } from './quality-points.js';

const p = (id: string, extra: Partial<Point> = {}): Point => {
  const [site, node, group, tag] = id.split('.') as [string, string, string, string];
  return { id, site, node, group, tag, ...extra };
};

describe('naming conventions of the reference city', () => {
  it("finds a district's inlets: its works' flow meters and explicit inlet flows", () => {
    expect(isConventionalInflow(p('north.north-works.process.FT1_FLOW', { unit: 'm3/h' }))).toBe(true);
    expect(isConventionalInflow(p('centre.centre-river-works.process.FT2_FLOW'))).toBe(true);
    expect(isConventionalInflow(p('ltown.ltown-dma.process.R1_INLET_FLOW', { unit: 'm3/h' }))).toBe(true);
    // A booster's meter, a works' velocity, another site's works, a flow in L/h: not inlets.
    expect(isConventionalInflow(p('north.north-booster.process.FT1_FLOW'))).toBe(false);
    expect(isConventionalInflow(p('north.north-works.process.FT1_VELOCITY'))).toBe(false);
    expect(isConventionalInflow(p('north.east-works.process.FT1_FLOW'))).toBe(false);
    expect(isConventionalInflow(p('north.north-works.process.FT1_FLOW', { unit: 'L/h' }))).toBe(false);
    expect(isWorksNode('centre', 'centre-lake-works')).toBe(true);
    expect(isWorksNode('centre', 'centre-prv')).toBe(false);
  });

  it('takes every register of the meters group, CJ/T 188 and NB-IoT alike', () => {
    expect(isMeterRegister(p('north.north-concentrator.meters.m12', { unit: 'm3' }))).toBe(true);
    expect(isMeterRegister(p('north.nbiot-a.meters.A0001'))).toBe(true);
    expect(isMeterRegister(p('north.nbiot-a.meters-flow.A0001', { unit: 'm3/h' }))).toBe(false);
  });

  it('finds quality panels and their GB 5749 role, unless a mapping is given', () => {
    const points = [
      p('north.north-works.process.Q1_TURB'),
      p('north.north-works.process.F3_TURB'),
      p('north.north-prv.process.Q2_CL'),
      p('north.north-prv.process.Q2_COND'),
    ];
    expect(qualityPoints(points, undefined)).toEqual([
      {
        point: 'north.north-works.process.Q1_TURB',
        site: 'north',
        parameter: 'turbidity',
        role: 'plant-outlet',
      },
      { point: 'north.north-prv.process.Q2_CL', site: 'north', parameter: 'chlorine', role: 'network-end' },
    ]);
    expect(
      qualityPoints(points, [
        { point: 'north.north-prv.process.Q2_CL', role: 'plant-outlet', quantity: 'chlorine' },
        { point: 'north.north-prv.process.Q2_COND', role: 'network-end', quantity: 'conductivity' },
      ]),
    ).toEqual([
      { point: 'north.north-prv.process.Q2_CL', site: 'north', parameter: 'chlorine', role: 'plant-outlet' },
    ]);
  });
});
