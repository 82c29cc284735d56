import type { SensorSpec } from '../signal/sensor.js';
import { KPA_PER_M } from '../hydraulics/units.js';
import { tagsOf, type PlantDefinition, type PlantPoint, type PlantTag } from './plant.js';

/*
 * L-Town (KIOS Research, BattLeDIM 2020 benchmark) as one operations centre: the two reservoir
 * mains p227 and p235 and pump PUMP_1 carry the benchmark's flow sensors, T1 its level sensor,
 * and junctions marked ";PRESSURE SENSOR" in the .inp its pressure loggers (six of the 33 are
 * served here). PRV-1/2/3 feed the districts; their outlet setpoints are writable, in kPa
 * (the model holds them in metres: 40, 50 and 35 m). The model is in CMH and metres.
 */
const FLOW: SensorSpec = { noise: 0.3, resolution: 0.01, min: 0 };
const LEVEL: SensorSpec = { noise: 0.003, resolution: 0.001, min: 0 };
const PRESSURE: SensorSpec = { noise: 0.5, resolution: 0.1, min: 0 };

const ir = (n: number): string => `1!3${String(n).padStart(5, '0')}#LL`;
const hr = (n: number): string => `1!4${String(n).padStart(5, '0')}#LL`;
const kpa = (metres: number): number => Math.round(metres * KPA_PER_M * 100) / 100;

const pressure = (tag: string, n: number, node: string, what: string): PlantPoint => ({
  tag,
  address: ir(n),
  dataType: 'float',
  unit: 'kPa',
  quantity: 'pressure',
  description: what,
  writable: false,
  source: { node, quantity: 'pressure' },
  sensor: PRESSURE,
});

const prvSetpoint = (k: 1 | 2 | 3, metres: number): PlantPoint => ({
  tag: `PRV${k}_SP`,
  address: hr(2 * k - 1),
  dataType: 'float',
  unit: 'kPa',
  quantity: 'setting',
  description: `PRV-${k} outlet pressure setpoint`,
  writable: true,
  source: { held: kpa(metres) },
  command: { kind: 'valve-setting', link: `PRV-${k}` },
});

const points: PlantPoint[] = [
  {
    tag: 'PUMP1_RUN',
    address: '1!100001',
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'PUMP_1 (fills tank T1) running',
    writable: false,
    source: { link: 'PUMP_1', quantity: 'status' },
  },
  {
    tag: 'R1_INLET_FLOW',
    address: ir(1),
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: 'Inflow from reservoir R1 (main p227)',
    writable: false,
    source: { link: 'p227', quantity: 'flow' },
    sensor: FLOW,
  },
  {
    tag: 'R2_INLET_FLOW',
    address: ir(3),
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: 'Inflow from reservoir R2 (main p235)',
    writable: false,
    source: { link: 'p235', quantity: 'flow' },
    sensor: FLOW,
  },
  {
    tag: 'PUMP1_FLOW',
    address: ir(5),
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: 'PUMP_1 flow into tank T1',
    writable: false,
    source: { link: 'PUMP_1', quantity: 'flow' },
    sensor: FLOW,
  },
  {
    tag: 'T1_LEVEL',
    address: ir(7),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'Tank T1 water level (controls PUMP_1, 2.4–3.9 m)',
    writable: false,
    source: { node: 'T1', quantity: 'level' },
    sensor: LEVEL,
  },
  pressure('PRV1_OUT_PRESS', 9, 'n300', 'PRV-1 outlet pressure (n300)'),
  pressure('PRV2_OUT_PRESS', 11, 'n111', 'PRV-2 outlet pressure (n111)'),
  pressure('PRV3_OUT_PRESS', 13, 'n226', 'PRV-3 outlet pressure (n226)'),
  pressure('PT_N1', 15, 'n1', 'Pressure logger at n1'),
  pressure('PT_N54', 17, 'n54', 'Pressure logger at n54'),
  pressure('PT_N105', 19, 'n105', 'Pressure logger at n105'),
  pressure('PT_N215', 21, 'n215', 'Pressure logger at n215'),
  pressure('PT_N410', 23, 'n410', 'Pressure logger at n410'),
  pressure('PT_N769', 25, 'n769', 'Pressure logger at n769'),
  prvSetpoint(1, 40),
  prvSetpoint(2, 50),
  prvSetpoint(3, 35),
];

/** The L-Town plant: site `ltown`, Modbus unit 1. A fresh copy on every call. */
export function ltownPlant(): PlantDefinition {
  return {
    id: 'ltown-dma',
    site: 'ltown',
    name: 'L-Town district inlets and PRVs (BattLeDIM 2020)',
    network: 'L-TOWN',
    unitId: 1,
    points: structuredClone(points),
  };
}

/** The L-Town plant's tag table, for generating the edge gateway's configuration. */
export function ltownPlantTags(): PlantTag[] {
  return tagsOf(ltownPlant());
}
