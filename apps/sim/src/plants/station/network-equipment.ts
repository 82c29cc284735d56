import type { LinkFacts, TankFacts } from '../../hydraulics/elements.js';
import { LinkType } from '../../hydraulics/toolkit-codes.js';
import type { SensorSpec } from '../../signal/sensor.js';
import { dailyTemperature, integrator, lag, word } from './physics.js';
import type { PointTable } from './point-table.js';

const FLOW: SensorSpec = { noise: 0.3, resolution: 0.1 };
const PRESS: SensorSpec = { noise: 0.4, resolution: 0.1, min: 0 };
const LEVEL: SensorSpec = { noise: 0.003, resolution: 0.001, min: 0 };
const TEMP: SensorSpec = { noise: 0.05, resolution: 0.1 };

const area = (diameterM: number): number => (Math.PI * diameterM * diameterM) / 4;

/** True when the valve type holds a setting an operator can change (SI: kPa or m³/h). */
function settable(type: LinkType): boolean {
  return type === LinkType.PRV || type === LinkType.PSV || type === LinkType.FCV;
}

/**
 * A control valve (or a line valve on a pipe): flow, velocity, upstream and downstream pressure,
 * differential, a position that follows the velocity through the bore, limit switches, actuator
 * state and, for PRV/PSV/FCV, the writable setpoint acting on the model's valve.
 */
export function addValve(table: PointTable, n: number, link: LinkFacts, initialSetting: number): void {
  const v = `V${n}`;
  const what = `valve ${n} (model link ${link.id})`;
  const inputs = [
    { link: link.id, quantity: 'flow' as const },
    { link: link.id, quantity: 'status' as const },
    { node: link.from, quantity: 'pressure' as const },
    { node: link.to, quantity: 'pressure' as const },
  ];
  const bore = area(link.diameterM || 0.3);
  const velocity = (x: Float64Array): number => Math.abs(x[0] ?? 0) / 3600 / bore;
  // An equal-percentage trim opens roughly with the square root of the velocity it passes.
  const position = (x: Float64Array): number =>
    (x[1] ?? 0) < 0.5 ? 0 : Math.min(100, 8 + 92 * Math.sqrt(Math.min(1, velocity(x) / 2.5)));
  const d = (fn: (x: Float64Array, t: number) => number) => ({
    derived: { inputs, model: () => fn },
  });
  table.add({
    tag: `${v}_FLOW`,
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: `Flow through ${what}`,
    source: d((x) => x[0] ?? 0),
    sensor: FLOW,
  });
  table.add({
    tag: `${v}_VELOCITY`,
    dataType: 'float',
    unit: 'm/s',
    quantity: 'other',
    description: `Velocity through ${what}`,
    source: d(velocity),
    sensor: { resolution: 0.01, min: 0 },
  });
  table.add({
    tag: `${v}_POS`,
    dataType: 'float',
    unit: '%',
    quantity: 'other',
    description: `Position of ${what}`,
    source: d(position),
    sensor: { noise: 0.2, resolution: 0.1, min: 0, max: 100 },
  });
  table.add({
    tag: `${v}_UP_PRESS`,
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: `Upstream pressure of ${what}`,
    source: d((x) => x[2] ?? 0),
    sensor: PRESS,
  });
  table.add({
    tag: `${v}_DN_PRESS`,
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: `Downstream pressure of ${what}`,
    source: d((x) => x[3] ?? 0),
    sensor: PRESS,
  });
  table.add({
    tag: `${v}_DP`,
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: `Differential pressure across ${what}`,
    source: d((x) => (x[2] ?? 0) - (x[3] ?? 0)),
    sensor: { noise: 0.3, resolution: 0.1 },
  });
  table.add({
    tag: `${v}_OPEN_LS`,
    dataType: 'bool',
    quantity: 'status',
    description: `Open limit switch of ${what}`,
    source: d((x) => (position(x) > 97 ? 1 : 0)),
  });
  table.add({
    tag: `${v}_CLOSED_LS`,
    dataType: 'bool',
    quantity: 'status',
    description: `Closed limit switch of ${what}`,
    source: d((x) => (position(x) < 1 ? 1 : 0)),
  });
  table.add({
    tag: `${v}_ACT_FAULT`,
    dataType: 'bool',
    quantity: 'status',
    description: `Actuator fault of ${what}`,
    source: { held: false },
  });
  table.add({
    tag: `${v}_STATUS`,
    dataType: 'uint16',
    quantity: 'status',
    description: `Status word of ${what} (b0 auto, b1 open, b2 closed, b3 moving)`,
    source: d((x) => word(true, position(x) > 97, position(x) < 1, false)),
  });
  table.add({
    tag: `${v}_ACT_TEMP`,
    dataType: 'float',
    unit: 'degC',
    quantity: 'other',
    description: `Actuator enclosure temperature of ${what}`,
    source: d((_x, t) => dailyTemperature(t, 16, 5)),
    sensor: TEMP,
  });
  if (settable(link.type))
    table.add({
      tag: `${v}_SP`,
      dataType: 'float',
      unit: link.type === LinkType.FCV ? 'm3/h' : 'kPa',
      quantity: 'setting',
      description: `Setpoint of ${what}`,
      source: { held: initialSetting },
      command: { kind: 'valve-setting', link: link.id },
    });
}

/** A magnetic flow meter on a pipe: flow, velocity, forward and reverse totals, status word. */
export function addFlowMeter(table: PointTable, n: number, link: LinkFacts, history: number): void {
  const f = `FT${n}`;
  const what = `flow meter ${n} (model pipe ${link.id})`;
  const inputs = [{ link: link.id, quantity: 'flow' as const }];
  const bore = area(link.diameterM || 0.3);
  const forward = {};
  const reverse = {};
  table.add({
    tag: `${f}_FLOW`,
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: `Flow, ${what}`,
    source: inputs[0]!,
    sensor: FLOW,
  });
  table.add({
    tag: `${f}_VELOCITY`,
    dataType: 'float',
    unit: 'm/s',
    quantity: 'other',
    description: `Velocity, ${what}`,
    source: { derived: { inputs, model: () => (x) => (x[0] ?? 0) / 3600 / bore } },
    sensor: { resolution: 0.001 },
  });
  table.add({
    tag: `${f}_TOTAL`,
    dataType: 'uint32',
    unit: 'm3',
    quantity: 'volume',
    description: `Forward total, ${what}`,
    source: {
      derived: {
        inputs,
        model: (sh) => {
          const total = sh(forward, () => integrator(Math.round(history * 2e6)));
          return (x, t) => Math.floor(total(x[0] ?? 0, t));
        },
      },
    },
  });
  table.add({
    tag: `${f}_REV_TOTAL`,
    dataType: 'uint32',
    unit: 'm3',
    quantity: 'volume',
    description: `Reverse total, ${what}`,
    source: {
      derived: {
        inputs,
        model: (sh) => {
          const total = sh(reverse, () => integrator(Math.round(history * 500)));
          return (x, t) => Math.floor(total(-(x[0] ?? 0), t));
        },
      },
    },
  });
  table.add({
    tag: `${f}_STATUS`,
    dataType: 'uint16',
    quantity: 'status',
    description: `Status word, ${what} (b0 ok, b1 empty pipe, b2 reverse flow)`,
    source: { derived: { inputs, model: () => (x) => word(true, false, (x[0] ?? 0) < 0) } },
  });
}

/** A service reservoir or tower: level, fill %, volume, net inflow, level switches, water temperature. */
export function addTank(table: PointTable, n: number, tank: TankFacts, chlorine: boolean): void {
  const tk = `T${n}`;
  const what = `tank ${n} (model tank ${tank.id})`;
  const inputs = [
    { node: tank.id, quantity: 'level' as const },
    { node: tank.id, quantity: 'demand' as const },
    { node: tank.id, quantity: 'quality' as const },
  ];
  const span = Math.max(0.1, tank.maxLevelM - tank.minLevelM);
  const pct = (x: Float64Array): number => (100 * ((x[0] ?? 0) - tank.minLevelM)) / span;
  const d = (fn: (x: Float64Array, t: number) => number) => ({ derived: { inputs, model: () => fn } });
  table.add({
    tag: `${tk}_LEVEL`,
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: `Level, ${what}`,
    source: inputs[0]!,
    sensor: LEVEL,
  });
  table.add({
    tag: `${tk}_LEVEL_PCT`,
    dataType: 'float',
    unit: '%',
    quantity: 'level',
    description: `Level as % of the operating band, ${what}`,
    source: d(pct),
    sensor: { resolution: 0.1 },
  });
  table.add({
    tag: `${tk}_VOLUME`,
    dataType: 'float',
    unit: 'm3',
    quantity: 'volume',
    description: `Stored volume, ${what}`,
    source: d((x) => (x[0] ?? 0) * area(tank.diameterM)),
    sensor: { resolution: 1, min: 0 },
  });
  table.add({
    tag: `${tk}_NET_FLOW`,
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: `Net inflow (positive filling), ${what}`,
    source: d((x) => x[1] ?? 0),
    sensor: FLOW,
  });
  table.add({
    tag: `${tk}_HIHI`,
    dataType: 'bool',
    quantity: 'status',
    description: `Overflow level switch, ${what}`,
    source: d((x) => (pct(x) > 98 ? 1 : 0)),
  });
  table.add({
    tag: `${tk}_HI`,
    dataType: 'bool',
    quantity: 'status',
    description: `High level, ${what}`,
    source: d((x) => (pct(x) > 90 ? 1 : 0)),
  });
  table.add({
    tag: `${tk}_LO`,
    dataType: 'bool',
    quantity: 'status',
    description: `Low level, ${what}`,
    source: d((x) => (pct(x) < 15 ? 1 : 0)),
  });
  table.add({
    tag: `${tk}_LOLO`,
    dataType: 'bool',
    quantity: 'status',
    description: `Low-low level (pumps protected), ${what}`,
    source: d((x) => (pct(x) < 5 ? 1 : 0)),
  });
  table.add({
    tag: `${tk}_TEMP`,
    dataType: 'float',
    unit: 'degC',
    quantity: 'other',
    description: `Water temperature, ${what}`,
    source: {
      derived: {
        inputs,
        model: () => {
          const slow = lag(6 * 3600);
          return (_x, t) => slow(dailyTemperature(t, 13, 1.5), t);
        },
      },
    },
    sensor: TEMP,
  });
  if (chlorine)
    table.add({
      tag: `${tk}_CL`,
      dataType: 'float',
      unit: 'mg/L',
      quantity: 'chlorine',
      description: `Free chlorine at the outlet, ${what}`,
      source: inputs[2]!,
      sensor: { noise: 0.01, resolution: 0.01, min: 0 },
    });
}

/**
 * Minimum or maximum of the current logging minute so far, as a logger reports alongside its
 * mean: restarts at each minute boundary (simulated time).
 */
function minuteExtreme(pick: (a: number, b: number) => number): (v: number, t: number) => number {
  let minute = NaN;
  let extreme = NaN;
  return (v, t) => {
    const m = Math.floor(t / 60);
    extreme = m === minute ? pick(extreme, v) : v;
    minute = m;
    return extreme;
  };
}

/**
 * A district pressure logger (battery, cellular): pressure, the minute's minimum and maximum
 * (transients a 1 s mean hides), battery voltage, signal level.
 */
export function addLogger(table: PointTable, n: number, node: string): void {
  const pt = `PT${n}`;
  const what = `pressure logger ${n} (model junction ${node})`;
  const inputs = [{ node, quantity: 'pressure' as const }];
  table.add({
    tag: `${pt}_PRESS`,
    dataType: 'float',
    unit: 'kPa',
    quantity: 'pressure',
    description: `Pressure, ${what}`,
    source: inputs[0]!,
    sensor: PRESS,
  });
  for (const [suffix, pick, sign] of [
    ['MIN', Math.min, -1],
    ['MAX', Math.max, 1],
  ] as const)
    table.add({
      tag: `${pt}_PRESS_${suffix}`,
      dataType: 'float',
      unit: 'kPa',
      quantity: 'pressure',
      description: `Pressure ${suffix === 'MIN' ? 'minimum' : 'maximum'} of the logging minute, ${what}`,
      // Sampled at 100 Hz, a logger sees surges the model's steady state has not: ±0.5 % of the pressure.
      source: {
        derived: {
          inputs,
          model: () => {
            const ext = minuteExtreme(pick);
            return (x, t) => ext((x[0] ?? 0) * (1 + sign * 0.005), t);
          },
        },
      },
      sensor: PRESS,
    });
  table.add({
    tag: `${pt}_BATT`,
    dataType: 'float',
    unit: 'V',
    quantity: 'other',
    description: `Battery voltage, ${what}`,
    source: { derived: { inputs, model: () => (_x, t) => 3.62 - (0.25 * ((t / (365 * 86_400)) % 5)) / 5 } },
    sensor: { noise: 0.004, resolution: 0.01 },
  });
  table.add({
    tag: `${pt}_SIGNAL`,
    dataType: 'float',
    unit: 'dBm',
    quantity: 'other',
    description: `Radio signal level, ${what}`,
    source: { derived: { inputs, model: () => () => -85 - (n % 17) } },
    sensor: { noise: 2, resolution: 1 },
  });
}
