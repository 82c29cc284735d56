import type { MeterHealth, MeterHealthPage, MeterHealthRequest, MeterStatus } from './wire.js';
import { pointId } from '@watershed/model';
import type { Store } from '@watershed/store';
import { meterHealth } from '@watershed/water';
import type { District } from './districts.js';
import { flag, hourlyRegister } from './readers.js';

/**
 * Battery and valve state of vendor meters are points of their own beside the register (see
 * apps/server/src/meters/meter-points.ts): `meters-battery-low`, `meters-valve-open`.
 */
const BATTERY_GROUP = 'meters-battery-low';
const VALVE_GROUP = 'meters-valve-open';
const RANK: Record<MeterStatus, number> = { fault: 0, warn: 1, ok: 2 };

/** Health of every meter of a district over [from, to]; faults first, a page of them. */
export async function districtMeters(
  store: Store,
  d: District,
  q: MeterHealthRequest,
): Promise<MeterHealthPage> {
  const stateIds = d.meterPoints.flatMap((p) => [
    pointId({ ...p, group: BATTERY_GROUP }),
    pointId({ ...p, group: VALVE_GROUP }),
  ]);
  const states = await store.latest(stateIds);
  const rows: MeterHealth[] = [];
  for (const p of d.meterPoints) {
    const reg = await hourlyRegister(store, p.id, q.from, q.to);
    const battery = flag(states.get(pointId({ ...p, group: BATTERY_GROUP }))?.value);
    const valve = flag(states.get(pointId({ ...p, group: VALVE_GROUP }))?.value);
    const h = meterHealth(
      {
        id: p.tag,
        samples: reg.samples,
        readingCount: reg.readings,
        reportIntervalMs: d.meterReportIntervalMs,
        ...(d.meterSizeMm !== undefined ? { sizeMm: d.meterSizeMm } : {}),
        ...(battery !== undefined ? { batteryLow: battery } : {}),
        ...(valve !== undefined ? { valveOpen: valve } : {}),
      },
      { from: q.from, to: q.to },
    );
    rows.push({ ...h, point: p.id });
  }
  rows.sort((a, b) => RANK[a.status] - RANK[b.status] || a.id.localeCompare(b.id));
  const counts = { ok: 0, warn: 0, fault: 0 };
  for (const r of rows) counts[r.status]++;
  const matching = q.status ? rows.filter((r) => r.status === q.status) : rows;
  return {
    district: d.id,
    from: q.from,
    to: q.to,
    counts,
    total: matching.length,
    offset: q.offset,
    items: matching.slice(q.offset, q.offset + q.limit),
  };
}
