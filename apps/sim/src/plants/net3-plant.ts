import type { SensorSpec } from '../signal/sensor.js';
import { tagsOf, type PlantDefinition, type PlantPoint, type PlantTag } from './plant.js';

/*
 * EPANET example network 3 as one water plant with two sources (OWA-EPANET example-networks):
 * River → pump 335 (curve 2, controlled by tank 1's level, with bypass pipe 330) → node 61 →
 * 45,500 ft transmission main → district; Lake → pump 10 (curve 1, runs 01:00–15:00) → node 10.
 * Tanks 1, 2 and 3 float on the system. Net3 is in GPM/ft; tags are in SI (m³/h, m, kPa).
 *
 * Chlorine: Net3 ships a Lake-water trace, not chlorine, so the plant doses chlorine: treated
 * water leaves the river works at 1.2 mg/L and the lake works at 1.0 mg/L (typical plant-outlet
 * residuals), with Net1's decay kinetics (see hydraulics/chlorine.ts).
 *
 * Instruments (noise = 1 σ, resolution = last digit):
 *   flow     electromagnetic meter, ±0.1 % of ~3,000 m³/h span → σ 1.5 m³/h, 0.1 m³/h
 *   level    radar, σ 3 mm, 1 mm;   pressure  transmitter σ 0.5 kPa, 0.1 kPa
 *   chlorine amperometric analyser σ 0.01 mg/L, 0.01 mg/L
 */
const FLOW: SensorSpec = { noise: 1.5, resolution: 0.1, min: 0 };
const LEVEL: SensorSpec = { noise: 0.003, resolution: 0.001, min: 0 };
const PRESSURE: SensorSpec = { noise: 0.5, resolution: 0.1, min: 0 };
const CHLORINE: SensorSpec = { noise: 0.01, resolution: 0.01, min: 0 };
const SPEED: SensorSpec = { resolution: 0.1, min: 0 };

/** Input register n (1-based) holding a 32-bit float in the driver's default order. */
const ir = (n: number): string => `1!3${String(n).padStart(5, '0')}#LL`;
const di = (n: number): string => `1!1${String(n).padStart(5, '0')}`;
const coil = (n: number): string => `1!0${String(n).padStart(5, '0')}`;
const hr = (n: number): string => `1!4${String(n).padStart(5, '0')}#LL`;

const points: PlantPoint[] = [
  // Pumps: run feedback (discrete inputs), flow and speed (input registers).
  {
    tag: 'P335_RUN',
    address: di(1),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'River pump 335 running',
    writable: false,
    source: { link: '335', quantity: 'status' },
  },
  {
    tag: 'P10_RUN',
    address: di(2),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'Lake pump 10 running',
    writable: false,
    source: { link: '10', quantity: 'status' },
  },
  {
    tag: 'P335_FLOW',
    address: ir(1),
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: 'River pump 335 discharge flow',
    writable: false,
    source: { link: '335', quantity: 'flow' },
    sensor: FLOW,
  },
  {
    tag: 'P10_FLOW',
    address: ir(3),
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: 'Lake pump 10 discharge flow',
    writable: false,
    source: { link: '10', quantity: 'flow' },
    sensor: FLOW,
  },
  {
    tag: 'P335_SPEED',
    address: ir(5),
    dataType: 'float',
    unit: '%',
    quantity: 'speed',
    description: 'River pump 335 speed (100 % = nominal)',
    writable: false,
    source: { link: '335', quantity: 'speed' },
    sensor: SPEED,
  },
  {
    tag: 'P10_SPEED',
    address: ir(7),
    dataType: 'float',
    unit: '%',
    quantity: 'speed',
    description: 'Lake pump 10 speed (100 % = nominal)',
    writable: false,
    source: { link: '10', quantity: 'speed' },
    sensor: SPEED,
  },
  // Storage and sources.
  {
    tag: 'T1_LEVEL',
    address: ir(9),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'Tank 1 water level (controls pump 335)',
    writable: false,
    source: { node: '1', quantity: 'level' },
    sensor: LEVEL,
  },
  {
    tag: 'T2_LEVEL',
    address: ir(11),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'Tank 2 water level',
    writable: false,
    source: { node: '2', quantity: 'level' },
    sensor: LEVEL,
  },
  {
    tag: 'T3_LEVEL',
    address: ir(13),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'Tank 3 water level',
    writable: false,
    source: { node: '3', quantity: 'level' },
    sensor: LEVEL,
  },
  {
    tag: 'RIVER_LEVEL',
    address: ir(15),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'River intake water-surface elevation',
    writable: false,
    source: { node: 'River', quantity: 'level' },
    sensor: LEVEL,
  },
  {
    tag: 'LAKE_LEVEL',
    address: ir(17),
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: 'Lake intake water-surface elevation',
    writable: false,
    source: { node: 'Lake', quantity: 'level' },
    sensor: LEVEL,
  },
  // Pressures: pump discharges, the far end of the transmission main, and two far ends of the district.
  {
    tag: 'P335_DISCH_PRESS',
    address: ir(19),
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: 'River pump 335 discharge pressure (node 61)',
    writable: false,
    source: { node: '61', quantity: 'pressure' },
    sensor: PRESSURE,
  },
  {
    tag: 'P10_DISCH_PRESS',
    address: ir(21),
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: 'Lake pump 10 discharge pressure (node 10)',
    writable: false,
    source: { node: '10', quantity: 'pressure' },
    sensor: PRESSURE,
  },
  {
    tag: 'MAIN_END_PRESS',
    address: ir(23),
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: 'Pressure at the end of the river transmission main (node 123)',
    writable: false,
    source: { node: '123', quantity: 'pressure' },
    sensor: PRESSURE,
  },
  {
    tag: 'FAR_END_PRESS',
    address: ir(25),
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: 'Pressure at the farthest dead end from both sources (node 219)',
    writable: false,
    source: { node: '219', quantity: 'pressure' },
    sensor: PRESSURE,
  },
  {
    tag: 'HIGH_END_PRESS',
    address: ir(27),
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: 'Pressure at a high far dead end (node 253, 36 ft)',
    writable: false,
    source: { node: '253', quantity: 'pressure' },
    sensor: PRESSURE,
  },
  // Chlorine residual.
  {
    tag: 'CL_PLANT_OUT',
    address: ir(29),
    dataType: 'float',
    unit: 'mg/L',
    quantity: 'chlorine',
    description: 'Free chlorine leaving the river works (node 61)',
    writable: false,
    source: { node: '61', quantity: 'quality' },
    sensor: CHLORINE,
  },
  {
    tag: 'CL_LAKE_OUT',
    address: ir(31),
    dataType: 'float',
    unit: 'mg/L',
    quantity: 'chlorine',
    description: 'Free chlorine leaving the lake works (node 10)',
    writable: false,
    source: { node: '10', quantity: 'quality' },
    sensor: CHLORINE,
  },
  {
    tag: 'CL_FAR_END',
    address: ir(33),
    dataType: 'float',
    unit: 'mg/L',
    quantity: 'chlorine',
    description: 'Free chlorine at the farthest dead end (node 219)',
    writable: false,
    source: { node: '219', quantity: 'quality' },
    sensor: CHLORINE,
  },
  // Operator commands. A start/stop puts the pump in manual; AUTO hands it back to the model's
  // controls (pump 335: tank 1 level, pump 10: time of day). CMD mirrors the pump while in auto.
  {
    tag: 'P335_CMD',
    address: coil(1),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'River pump 335 run command (write: start/stop, switches to manual)',
    writable: true,
    source: { held: true },
    command: { kind: 'pump-run', link: '335' },
  },
  {
    tag: 'P335_AUTO',
    address: coil(2),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'River pump 335 in automatic (tank 1 level control)',
    writable: true,
    source: { held: true },
    command: { kind: 'auto', link: '335' },
  },
  {
    tag: 'P10_CMD',
    address: coil(3),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'Lake pump 10 run command (write: start/stop, switches to manual)',
    writable: true,
    source: { held: false },
    command: { kind: 'pump-run', link: '10' },
  },
  {
    tag: 'P10_AUTO',
    address: coil(4),
    dataType: 'bool',
    unit: '',
    quantity: 'status',
    description: 'Lake pump 10 in automatic (01:00–15:00 schedule)',
    writable: true,
    source: { held: true },
    command: { kind: 'auto', link: '10' },
  },
  {
    tag: 'P335_SPEED_SP',
    address: hr(1),
    dataType: 'float',
    unit: '%',
    quantity: 'setting',
    description: 'River pump 335 drive speed setpoint, 0–120 %',
    writable: true,
    source: { held: 100 },
    command: { kind: 'pump-speed', link: '335' },
  },
  {
    tag: 'P10_SPEED_SP',
    address: hr(3),
    dataType: 'float',
    unit: '%',
    quantity: 'setting',
    description: 'Lake pump 10 drive speed setpoint, 0–120 %',
    writable: true,
    source: { held: 100 },
    command: { kind: 'pump-speed', link: '10' },
  },
];

/** The Net3 plant: site `net3`, Modbus unit 1. A fresh copy on every call. */
export function net3Plant(): PlantDefinition {
  return {
    id: 'net3-plant',
    site: 'net3',
    name: 'Net3 water works (river and lake sources)',
    network: 'Net3',
    unitId: 1,
    chlorine: { sources: { River: 1.2, Lake: 1.0 }, initial: 0.5 },
    points: structuredClone(points),
  };
}

/** The Net3 plant's tag table, for generating the edge gateway's configuration. */
export function net3PlantTags(): PlantTag[] {
  return tagsOf(net3Plant());
}
