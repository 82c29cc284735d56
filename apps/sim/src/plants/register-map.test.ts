import { createRegisterBank } from '@watershed/driver-modbus';
import { describe, expect, it } from 'vitest';
import { net3Plant, net3PlantTags } from './net3-plant.js';
import type { PlantDefinition } from './plant.js';
import { loadValue, mapPlant, storeValue } from './register-map.js';

function withPoints(edit: (p: PlantDefinition) => void): PlantDefinition {
  const plant = net3Plant();
  edit(plant);
  return plant;
}

describe('plant tag table', () => {
  it('maps every Net3 point to its own registers on unit 1', () => {
    const mapped = mapPlant(net3Plant());
    expect(mapped.length).toBe(net3PlantTags().length);
    expect(mapped.every((m) => m.address.unitId === 1)).toBe(true);
    const p335 = mapped.find((m) => m.point.tag === 'P335_FLOW')!;
    expect(p335.address).toMatchObject({
      area: 'inputRegisters',
      address: 0,
      count: 2,
      dataType: 'float',
      order: 'LL',
    });
  });

  it('exports only the table fields the gateway needs', () => {
    for (const t of net3PlantTags()) {
      expect(Object.keys(t).sort()).toEqual([
        'address',
        'dataType',
        'description',
        'quantity',
        'tag',
        'unit',
        'writable',
      ]);
    }
  });

  it('rejects duplicate tags, overlapping registers, other units and read-only areas marked writable', () => {
    expect(() =>
      mapPlant(withPoints((p) => p.points.push({ ...p.points[2]!, address: '1!300101#LL' }))),
    ).toThrow(/appears twice/);
    expect(() =>
      mapPlant(withPoints((p) => p.points.push({ ...p.points[2]!, tag: 'X', address: '1!300002#LL' }))),
    ).toThrow(/overlap/);
    expect(() =>
      mapPlant(withPoints((p) => p.points.push({ ...p.points[2]!, tag: 'X', address: '2!300101#LL' }))),
    ).toThrow(/unit 2/);
    expect(() =>
      mapPlant(
        withPoints((p) =>
          p.points.push({ ...p.points[2]!, tag: 'X', address: '1!300101#LL', writable: true }),
        ),
      ),
    ).toThrow(/writable/);
    expect(() =>
      mapPlant(withPoints((p) => p.points.push({ ...p.points[2]!, tag: 'bad.name', address: '1!300101' }))),
    ).toThrow(/tag name/);
  });

  it('stores and loads values in the bank as the wire carries them', () => {
    const bank = createRegisterBank({
      coils: 10,
      discreteInputs: 10,
      inputRegisters: 100,
      holdingRegisters: 10,
    });
    const mapped = mapPlant(net3Plant());
    const flow = mapped.find((m) => m.point.tag === 'P335_FLOW')!;
    const run = mapped.find((m) => m.point.tag === 'P335_RUN')!;
    storeValue(bank, flow, 1234.5);
    storeValue(bank, run, true);
    expect(loadValue(bank, flow)).toBe(1234.5);
    expect(loadValue(bank, run)).toBe(true);
    // #LL: high word first (IEEE 754 1234.5 = 0x449A5000).
    expect([bank.inputRegisters[0], bank.inputRegisters[1]]).toEqual([0x449a, 0x5000]);
  });
});
