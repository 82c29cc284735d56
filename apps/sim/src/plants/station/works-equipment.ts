import { diurnalFactor } from '../../meters/diurnal.js';
import type { SensorSpec } from '../../signal/sensor.js';
import { dailyTemperature, integrator, lag, word } from './physics.js';
import type { PointTable } from './point-table.js';

const TEMP: SensorSpec = { noise: 0.05, resolution: 0.1 };

/**
 * A water-quality panel at a node: free chlorine (the model's own residual when the district
 * simulates chlorine), turbidity, pH, conductivity, temperature, ORP, sample flow, fault. The
 * values a distribution system shows: turbidity and conductivity drift with the day's demand
 * (re-suspension at peak velocities, source blending), pH sits near 7.5, ORP follows chlorine.
 */
export function addAnalysers(table: PointTable, n: number, node: string, chlorine: boolean): void {
  const q = `Q${n}`;
  const what = `quality panel ${n} (model node ${node})`;
  const inputs = [{ node, quantity: 'quality' as const }];
  const cl = (x: Float64Array, t: number): number =>
    chlorine ? (x[0] ?? 0) : 0.45 + 0.08 * Math.sin((2 * Math.PI * (t % 86_400)) / 86_400 + n);
  const d = (fn: (x: Float64Array, t: number) => number) => ({ derived: { inputs, model: () => fn } });
  table.add({
    tag: `${q}_CL`,
    dataType: 'float',
    unit: 'mg/L',
    quantity: 'chlorine',
    description: `Free chlorine, ${what}`,
    source: d(cl),
    sensor: { noise: 0.01, resolution: 0.01, min: 0, max: 5 },
  });
  table.add({
    tag: `${q}_TURB`,
    dataType: 'float',
    unit: 'NTU',
    quantity: 'turbidity',
    description: `Turbidity, ${what}`,
    source: d((_x, t) => 0.08 + 0.06 * diurnalFactor(t)),
    sensor: { noise: 0.01, resolution: 0.001, min: 0, max: 100 },
  });
  table.add({
    tag: `${q}_PH`,
    dataType: 'float',
    unit: 'pH',
    quantity: 'ph',
    description: `pH, ${what}`,
    source: d((x, t) => 7.45 + 0.05 * Math.sin((2 * Math.PI * t) / 86_400) - 0.04 * cl(x, t)),
    sensor: { noise: 0.01, resolution: 0.01 },
  });
  table.add({
    tag: `${q}_COND`,
    dataType: 'float',
    unit: 'uS/cm',
    quantity: 'conductivity',
    description: `Conductivity, ${what}`,
    source: d((_x, t) => 420 + 12 * diurnalFactor(t) + 6 * n),
    sensor: { noise: 1, resolution: 1 },
  });
  table.add({
    tag: `${q}_TEMP`,
    dataType: 'float',
    unit: 'degC',
    quantity: 'other',
    description: `Water temperature, ${what}`,
    source: d((_x, t) => dailyTemperature(t, 13, 0.8)),
    sensor: TEMP,
  });
  table.add({
    tag: `${q}_ORP`,
    dataType: 'float',
    unit: 'mV',
    quantity: 'other',
    description: `Redox potential, ${what}`,
    source: d((x, t) => 560 + 120 * Math.log10(Math.max(0.02, cl(x, t)) + 1)),
    sensor: { noise: 2, resolution: 1 },
  });
  table.add({
    tag: `${q}_SAMPLE_FLOW`,
    dataType: 'float',
    unit: 'L/h',
    quantity: 'flow',
    description: `Sample flow, ${what}`,
    source: d(() => 30),
    sensor: { noise: 0.3, resolution: 0.1 },
  });
  table.add({
    tag: `${q}_FAULT`,
    dataType: 'bool',
    quantity: 'status',
    description: `Analyser fault, ${what}`,
    source: { held: false },
  });
}

/**
 * A hypochlorite dosing line on a works outlet main: dose rate (flow-paced), dose setpoint, pump
 * running, day-tank level (drawn down, refilled at 20 %), fault. Sodium hypochlorite at 12.5 %
 * available chlorine = 125 g/L, so L/h = Q (m³/h) · dose (g/m³) / 125.
 */
export function addDosing(table: PointTable, n: number, link: string, doseMgL: number): void {
  const dp = `D${n}`;
  const what = `chlorine dosing ${n} (paced on model link ${link})`;
  const inputs = [{ link, quantity: 'flow' as const }];
  const rate = (x: Float64Array): number => (Math.max(0, x[0] ?? 0) * doseMgL) / 125;
  const used = {};
  const d = (fn: (x: Float64Array, t: number) => number) => ({ derived: { inputs, model: () => fn } });
  const tankPct = (sh: <T>(k: object, m: () => T) => T) => {
    const total = sh(used, () => integrator(0));
    // A 2 m³ day tank, refilled when it reaches 20 %.
    return (x: Float64Array, t: number): number => 100 - (((total(rate(x), t) / 2000) * 100) % 80);
  };
  table.add({
    tag: `${dp}_RATE`,
    dataType: 'float',
    unit: 'L/h',
    quantity: 'flow',
    description: `Dose rate, ${what}`,
    source: d(rate),
    sensor: { noise: 0.05, resolution: 0.01, min: 0 },
  });
  table.add({
    tag: `${dp}_DOSE_SP`,
    dataType: 'float',
    unit: 'mg/L',
    quantity: 'setting',
    description: `Dose setpoint, ${what}`,
    source: { held: doseMgL },
  });
  table.add({
    tag: `${dp}_PUMP_RUN`,
    dataType: 'bool',
    quantity: 'status',
    description: `Dosing pump running, ${what}`,
    source: d((x) => (rate(x) > 0 ? 1 : 0)),
  });
  table.add({
    tag: `${dp}_TANK_LEVEL`,
    dataType: 'float',
    unit: '%',
    quantity: 'level',
    description: `Day tank level, ${what}`,
    source: { derived: { inputs, model: tankPct } },
    sensor: { resolution: 0.1 },
  });
  table.add({
    tag: `${dp}_FAULT`,
    dataType: 'bool',
    quantity: 'status',
    description: `Dosing fault, ${what}`,
    source: { held: false },
  });
}

/**
 * A rapid gravity filter of a bank sharing the works' output (`link` flow / `filters`):
 * headloss builds over a 48 h run, then a 30 min backwash (drain, air scour, wash, rinse), the
 * filters staggered so one washes at a time; filtrate turbidity ripens after a wash.
 */
export function addFilter(table: PointTable, n: number, filters: number, link: string): void {
  const f = `F${n}`;
  const what = `filter ${n} of ${filters} (works output on model link ${link})`;
  const inputs = [{ link, quantity: 'flow' as const }];
  const cycle = 48 * 3600;
  const wash = 1800;
  const phase = (t: number): number => (t + ((n - 1) * cycle) / filters) % cycle;
  const washing = (t: number): boolean => phase(t) >= cycle - wash;
  const hours = (t: number): number => (washing(t) ? 0 : phase(t) / 3600);
  const flow = (x: Float64Array, t: number): number =>
    washing(t) ? 0 : Math.max(0, x[0] ?? 0) / Math.max(1, filters - 1);
  const headloss = (t: number): number => (washing(t) ? 0 : 0.3 + 1.9 * (phase(t) / (cycle - wash)) ** 1.4);
  const d = (fn: (x: Float64Array, t: number) => number) => ({ derived: { inputs, model: () => fn } });
  table.add({
    tag: `${f}_FLOW`,
    dataType: 'float',
    unit: 'm3/h',
    quantity: 'flow',
    description: `Filtrate flow, ${what}`,
    source: d(flow),
    sensor: { noise: 0.3, resolution: 0.1, min: 0 },
  });
  table.add({
    tag: `${f}_LEVEL`,
    dataType: 'float',
    unit: 'm',
    quantity: 'level',
    description: `Water level above the media, ${what}`,
    source: d((_x, t) => (washing(t) ? 0.4 : 1.1 + 0.25 * headloss(t))),
    sensor: { noise: 0.004, resolution: 0.001, min: 0 },
  });
  table.add({
    tag: `${f}_HEADLOSS`,
    dataType: 'float',
    unit: 'm',
    quantity: 'other',
    description: `Headloss across the bed, ${what}`,
    source: d((_x, t) => headloss(t)),
    sensor: { noise: 0.005, resolution: 0.001, min: 0 },
  });
  table.add({
    tag: `${f}_TURB`,
    dataType: 'float',
    unit: 'NTU',
    quantity: 'turbidity',
    description: `Filtrate turbidity, ${what}`,
    source: d((_x, t) => 0.05 + 0.25 * Math.exp(-hours(t) / 0.5) + 0.04 * (phase(t) / cycle) ** 3),
    sensor: { noise: 0.004, resolution: 0.001, min: 0 },
  });
  table.add({
    tag: `${f}_INLET_POS`,
    dataType: 'float',
    unit: '%',
    quantity: 'other',
    description: `Inlet valve position, ${what}`,
    source: d((_x, t) => (washing(t) ? 0 : 100)),
    sensor: { resolution: 0.1 },
  });
  table.add({
    tag: `${f}_OUTLET_POS`,
    dataType: 'float',
    unit: '%',
    quantity: 'other',
    description: `Filtrate valve position (level control), ${what}`,
    source: d((_x, t) => (washing(t) ? 0 : 35 + 30 * (headloss(t) / 2.2))),
    sensor: { noise: 0.3, resolution: 0.1, min: 0, max: 100 },
  });
  table.add({
    tag: `${f}_BW_VALVE`,
    dataType: 'bool',
    quantity: 'status',
    description: `Backwash valve open, ${what}`,
    source: d((_x, t) => (washing(t) && phase(t) >= cycle - wash + 300 ? 1 : 0)),
  });
  table.add({
    tag: `${f}_DRAIN`,
    dataType: 'bool',
    quantity: 'status',
    description: `Drain valve open, ${what}`,
    source: d((_x, t) => (washing(t) && phase(t) < cycle - wash + 300 ? 1 : 0)),
  });
  table.add({
    tag: `${f}_STATE`,
    dataType: 'uint16',
    quantity: 'status',
    description: `State (0 filtering, 1 draining, 2 washing), ${what}`,
    source: d((_x, t) => (!washing(t) ? 0 : phase(t) < cycle - wash + 300 ? 1 : 2)),
  });
  table.add({
    tag: `${f}_RUN_HOURS`,
    dataType: 'float',
    unit: 'h',
    quantity: 'other',
    description: `Hours since the last backwash, ${what}`,
    source: d((_x, t) => hours(t)),
    sensor: { resolution: 0.01 },
  });
  table.add({
    tag: `${f}_WASHES`,
    dataType: 'uint32',
    quantity: 'other',
    description: `Backwash counter, ${what}`,
    source: d((_x, t) => 1200 + Math.floor((t + ((n - 1) * cycle) / filters) / cycle)),
  });
}

/**
 * The site itself: incoming supply (three phase voltages, frequency), UPS, panel and ambient
 * temperatures, intrusion and door contacts, generator, flood switch and the PLC's watchdog
 * counter (a SCADA's standard comms check: it must keep counting).
 */
export function addSite(table: PointTable, id: string): void {
  const what = `site ${id}`;
  const inputs: never[] = [];
  const d = (fn: (x: Float64Array, t: number) => number) => ({ derived: { inputs, model: () => fn } });
  for (const [ph, skew] of [
    ['L1', 0],
    ['L2', 1.5],
    ['L3', -1],
  ] as const)
    table.add({
      tag: `SITE_MAINS_${ph}`,
      dataType: 'float',
      unit: 'V',
      quantity: 'other',
      description: `Incoming supply ${ph}-N voltage, ${what}`,
      source: d((_x, t) => 231 + skew - 3 * diurnalFactor(t)),
      sensor: { noise: 0.4, resolution: 0.1 },
    });
  table.add({
    tag: 'SITE_MAINS_FREQ',
    dataType: 'float',
    unit: 'Hz',
    quantity: 'other',
    description: `Supply frequency, ${what}`,
    source: d(() => 50),
    sensor: { noise: 0.01, resolution: 0.01 },
  });
  table.add({
    tag: 'SITE_UPS_BATT',
    dataType: 'float',
    unit: 'V',
    quantity: 'other',
    description: `UPS battery voltage, ${what}`,
    source: d(() => 27.3),
    sensor: { noise: 0.02, resolution: 0.01 },
  });
  table.add({
    tag: 'SITE_UPS_ON_BATT',
    dataType: 'bool',
    quantity: 'status',
    description: `UPS on battery, ${what}`,
    source: { held: false },
  });
  table.add({
    tag: 'SITE_PANEL_TEMP',
    dataType: 'float',
    unit: 'degC',
    quantity: 'other',
    description: `Control panel temperature, ${what}`,
    source: {
      derived: {
        inputs,
        model: () => {
          const slow = lag(3600);
          return (_x, t) => slow(dailyTemperature(t, 27, 3), t);
        },
      },
    },
    sensor: TEMP,
  });
  table.add({
    tag: 'SITE_AMBIENT_TEMP',
    dataType: 'float',
    unit: 'degC',
    quantity: 'other',
    description: `Outdoor temperature, ${what}`,
    source: d((_x, t) => dailyTemperature(t, 14, 6)),
    sensor: TEMP,
  });
  table.add({
    tag: 'SITE_INTRUSION',
    dataType: 'bool',
    quantity: 'status',
    description: `Intruder alarm, ${what}`,
    source: { held: false },
  });
  table.add({
    tag: 'SITE_DOOR_OPEN',
    dataType: 'bool',
    quantity: 'status',
    description: `Kiosk door open, ${what}`,
    source: { held: false },
  });
  table.add({
    tag: 'SITE_GEN_RUN',
    dataType: 'bool',
    quantity: 'status',
    description: `Standby generator running, ${what}`,
    source: { held: false },
  });
  table.add({
    tag: 'SITE_FLOOD',
    dataType: 'bool',
    quantity: 'status',
    description: `Dry-well flood switch, ${what}`,
    source: { held: false },
  });
  table.add({
    tag: 'SITE_WATCHDOG',
    dataType: 'uint16',
    quantity: 'other',
    description: `PLC watchdog counter (counts simulated seconds, wraps at 65536), ${what}`,
    source: d((_x, t) => Math.floor(t) % 65_536),
  });
  table.add({
    tag: 'SITE_STATUS',
    dataType: 'uint16',
    quantity: 'status',
    description: `Site status word (b0 mains ok, b1 PLC run, b2 comms ok), ${what}`,
    source: { held: word(true, true, true) },
  });
}
