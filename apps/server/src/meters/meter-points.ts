import { pointId, type MeterReading, type Point } from '@watershed/model';
import type { SampleRow } from '@watershed/store';

/**
 * Where a vendor meter's readings are stored. Every meter gets its register as a point
 * `{district}.nbiot-{vendor}.meters.{meterId}` (m³, cumulative, like the CJ/T 188 meters'
 * `{district}.{node}.meters.m{addr}`), so consumption analytics treat both alike.
 *
 * Battery and valve state are points of their own (`meters-battery-low`, `meters-valve-open`,
 * booleans) rather than sample reasons: they are states that change on their own, an alarm
 * rule can watch them, a trend can show when a valve closed; a sample reason is for why a
 * value is doubtful, and a good register reading with a low battery is not doubtful.
 * Flow, when a vendor reports it, goes to `meters-flow` (m³/h).
 */
export const METER_GROUPS = {
  total: 'meters',
  flow: 'meters-flow',
  batteryLow: 'meters-battery-low',
  valveOpen: 'meters-valve-open',
} as const;
export type MeterSeries = keyof typeof METER_GROUPS;

/** The node name of a vendor's meters: `nbiot-a`. */
export function meterNode(vendor: string): string {
  return `nbiot-${vendor}`;
}

/** The point of one series of one meter. */
export function meterPointId(district: string, vendor: string, meter: string, series: MeterSeries): string {
  return pointId({ site: district, node: meterNode(vendor), group: METER_GROUPS[series], tag: meter });
}

/** The series a reading carries values for. */
export function seriesOf(r: MeterReading): MeterSeries[] {
  const s: MeterSeries[] = ['total'];
  if (r.flowM3h !== undefined) s.push('flow');
  if (r.batteryLow !== undefined) s.push('batteryLow');
  if (r.valveOpen !== undefined) s.push('valveOpen');
  return s;
}

/** The point declaration of one series of one meter. */
export function meterPoint(district: string, vendor: string, meter: string, series: MeterSeries): Point {
  const base = {
    id: meterPointId(district, vendor, meter, series),
    site: district,
    node: meterNode(vendor),
    group: METER_GROUPS[series],
    tag: meter,
  };
  switch (series) {
    case 'total':
      return { ...base, name: `Meter ${meter} register`, quantity: 'volume', unit: 'm3', dataType: 'double' };
    case 'flow':
      return { ...base, name: `Meter ${meter} flow`, quantity: 'flow', unit: 'm3/h', dataType: 'double' };
    case 'batteryLow':
      return { ...base, name: `Meter ${meter} battery low`, quantity: 'status', dataType: 'bool' };
    case 'valveOpen':
      return { ...base, name: `Meter ${meter} valve open`, quantity: 'status', dataType: 'bool' };
  }
}

/** One stored sample per series the reading carries, all at the meter's own time. */
export function readingRows(district: string, vendor: string, r: MeterReading): SampleRow[] {
  const row = (series: MeterSeries, value: number | boolean): SampleRow => ({
    point: meterPointId(district, vendor, r.meter, series),
    ts: r.ts,
    value,
    quality: 'good',
  });
  const rows = [row('total', r.totalM3)];
  if (r.flowM3h !== undefined) rows.push(row('flow', r.flowM3h));
  if (r.batteryLow !== undefined) rows.push(row('batteryLow', r.batteryLow));
  if (r.valveOpen !== undefined) rows.push(row('valveOpen', r.valveOpen));
  return rows;
}
