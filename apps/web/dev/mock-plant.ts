import type { Point, Quality, Sample, SampleValue } from '@watershed/model';

/**
 * A fake plant for developing the console without the server: a handful of points per
 * section with smooth, deterministic signals (a function of time only, so history and the
 * live stream agree), one point that drops out periodically and one that is always uncertain.
 */
interface MockPoint extends Point {
  signal: (t: number) => SampleValue;
  quality?: (t: number) => { quality: Quality; reason?: string };
}

const MIN = 60_000;
const wave = (t: number, periodMs: number, phase = 0): number =>
  Math.sin((2 * Math.PI * t) / periodMs + phase);
const jitter = (t: number, seed: number): number =>
  Math.sin(t / 997 + seed * 12.9898) * Math.sin(t / 1597 + seed);

function point(
  site: string,
  node: string,
  group: string,
  tag: string,
  rest: Omit<MockPoint, 'id' | 'site' | 'node' | 'group' | 'tag'>,
): MockPoint {
  return { id: `${site}.${node}.${group}.${tag}`, site, node, group, tag, ...rest };
}

function pump(site: string, n: number, phase: number): MockPoint[] {
  const running = (t: number): boolean => wave(t, 20 * MIN, phase) > -0.3;
  return [
    point(site, 'plc1', 'pumps', `p${n}_run`, {
      name: `Pump ${n} running`,
      asset: `pump${n}`,
      quantity: 'status',
      dataType: 'bool',
      signal: running,
    }),
    point(site, 'plc1', 'pumps', `p${n}_speed`, {
      name: `Pump ${n} speed`,
      asset: `pump${n}`,
      quantity: 'speed',
      unit: 'rpm',
      dataType: 'float',
      signal: (t) => (running(t) ? 1450 + 40 * wave(t, 7 * MIN, phase) + 5 * jitter(t, n) : 0),
    }),
    point(site, 'plc1', 'pumps', `p${n}_power`, {
      name: `Pump ${n} power`,
      asset: `pump${n}`,
      quantity: 'power',
      unit: 'kW',
      dataType: 'float',
      signal: (t) => (running(t) ? 55 + 4 * wave(t, 7 * MIN, phase) + jitter(t, n + 10) : 0),
    }),
  ];
}

export const MOCK_POINTS: MockPoint[] = [
  ...pump('north', 1, 0),
  ...pump('north', 2, 2),
  ...pump('north', 3, 4),
  point('north', 'plc1', 'tanks', 'cw1_level', {
    name: 'Clear well 1 level',
    asset: 'clearwell1',
    quantity: 'level',
    unit: 'm',
    dataType: 'float',
    signal: (t) => 3.2 + 0.8 * wave(t, 45 * MIN) + 0.01 * jitter(t, 3),
  }),
  point('north', 'plc1', 'tanks', 'cw2_level', {
    name: 'Clear well 2 level',
    asset: 'clearwell2',
    quantity: 'level',
    unit: 'm',
    dataType: 'float',
    signal: (t) => 2.7 + 0.6 * wave(t, 50 * MIN, 1) + 0.01 * jitter(t, 4),
  }),
  point('north', 'rtu2', 'network', 'inlet_flow', {
    name: 'Raw water inlet flow',
    asset: 'inlet',
    quantity: 'flow',
    unit: 'm³/h',
    dataType: 'float',
    signal: (t) => 1850 + 120 * wave(t, 30 * MIN) + 8 * jitter(t, 5),
  }),
  point('north', 'rtu2', 'network', 'outlet_flow', {
    name: 'Treated water outlet flow',
    asset: 'outlet',
    quantity: 'flow',
    unit: 'm³/h',
    dataType: 'float',
    signal: (t) => 1790 + 140 * wave(t, 30 * MIN, 0.4) + 9 * jitter(t, 6),
  }),
  point('north', 'rtu2', 'network', 'discharge_p', {
    name: 'Discharge header pressure',
    asset: 'header',
    quantity: 'pressure',
    unit: 'bar',
    dataType: 'float',
    signal: (t) => 4.6 + 0.25 * wave(t, 12 * MIN) + 0.02 * jitter(t, 7),
  }),
  point('north', 'rtu2', 'network', 'suction_p', {
    name: 'Suction pressure',
    asset: 'header',
    quantity: 'pressure',
    unit: 'bar',
    dataType: 'float',
    signal: (t) => 0.8 + 0.05 * wave(t, 9 * MIN) + 0.01 * jitter(t, 8),
  }),
  point('north', 'ana1', 'quality', 'cl_out', {
    name: 'Free chlorine, outlet',
    asset: 'analyser1',
    quantity: 'chlorine',
    unit: 'mg/L',
    dataType: 'float',
    signal: (t) => 0.62 + 0.05 * wave(t, 25 * MIN) + 0.005 * jitter(t, 9),
  }),
  point('north', 'ana1', 'quality', 'turb_out', {
    name: 'Turbidity, outlet',
    asset: 'analyser1',
    quantity: 'turbidity',
    unit: 'NTU',
    dataType: 'float',
    signal: (t) => 0.12 + 0.03 * wave(t, 15 * MIN) + 0.004 * jitter(t, 10),
    // Drops out for 20 s in every 90 s, as a flaky Modbus link would.
    quality: (t) =>
      t % 90_000 < 20_000
        ? { quality: 'bad', reason: 'WS_ERR_MODBUS_TIMEOUT: no response from unit 3 within 1000 ms' }
        : { quality: 'good' },
  }),
  point('north', 'ana1', 'quality', 'ph_out', {
    name: 'pH, outlet',
    asset: 'analyser1',
    quantity: 'ph',
    dataType: 'float',
    signal: (t) => 7.3 + 0.08 * wave(t, 40 * MIN) + 0.01 * jitter(t, 11),
  }),
  point('north', 'ana1', 'quality', 'cond_out', {
    name: 'Conductivity, outlet',
    asset: 'analyser1',
    quantity: 'conductivity',
    unit: 'µS/cm',
    dataType: 'float',
    signal: (t) => 412 + 6 * wave(t, 35 * MIN) + jitter(t, 12),
    quality: () => ({ quality: 'uncertain', reason: 'sensor calibration overdue' }),
  }),
  point('north', 'plc1', 'setpoints', 'p_sp', {
    name: 'Header pressure setpoint',
    asset: 'header',
    quantity: 'setting',
    unit: 'bar',
    dataType: 'float',
    writable: true,
    signal: () => 4.5,
  }),
  point('north', 'plc1', 'setpoints', 'auto_mode', {
    name: 'Automatic mode',
    quantity: 'setting',
    dataType: 'bool',
    writable: true,
    signal: () => true,
  }),
  point('east', 'rtu1', 'station', 'bp1_run', {
    name: 'Booster pump 1 running',
    asset: 'pump1',
    quantity: 'status',
    dataType: 'bool',
    signal: (t) => wave(t, 15 * MIN) > 0,
  }),
  point('east', 'rtu1', 'station', 'tank_level', {
    name: 'Hill tank level',
    asset: 'tank1',
    quantity: 'level',
    unit: 'm',
    dataType: 'float',
    signal: (t) => 5.1 + 1.2 * wave(t, 60 * MIN),
  }),
];

export function sampleAt(p: MockPoint, t: number): Sample {
  const q = p.quality?.(t) ?? { quality: 'good' as const };
  const value = q.quality === 'bad' ? null : p.signal(t);
  const rounded = typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
  return q.reason === undefined
    ? { ts: t, value: rounded, quality: q.quality }
    : { ts: t, value: rounded, quality: q.quality, reason: q.reason };
}

export function describePoint(p: MockPoint): Point {
  const { signal: _signal, quality: _quality, ...rest } = p;
  return rest;
}
