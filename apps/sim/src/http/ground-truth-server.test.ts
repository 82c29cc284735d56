/**
 * The ground-truth endpoint over real HTTP (node's fetch), fed as the simulator feeds it: the
 * records the scenario runner writes and a sample per tick, with pressures from a stand-in model.
 */
import { silentLogger } from '@watershed/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroundTruthRecord } from '../scenario/ground-truth.js';
import { GroundTruthLog } from './ground-truth-log.js';
import { GroundTruthServer } from './ground-truth-server.js';

const T0 = Date.UTC(2026, 10, 28, 0, 0, 0);
const record = (r: Partial<GroundTruthRecord> & Pick<GroundTruthRecord, 'phase' | 'kind' | 'element'>) => ({
  network: 'Net3',
  simTime: 0,
  simClock: '',
  wallTime: new Date(T0).toISOString(),
  details: {},
  ...r,
});

describe('ground-truth endpoint', () => {
  let server: GroundTruthServer;
  /** Pressure at the leak node, by simulated second: 400 kPa, then 100 kPa from t = 300. */
  const pressure = (t: number) => (t >= 300 ? 100 : 400);

  beforeAll(async () => {
    const log = new GroundTruthLog((network, node, t) =>
      network === 'Net3' && node === '123' ? pressure(t) : undefined,
    );
    server = await GroundTruthServer.start({ log, host: '127.0.0.1', port: 0, logger: silentLogger() });
    const at = (s: number) => ({ simTime: s, wallTime: new Date(T0 + s * 1000).toISOString() });
    log.record(record({ phase: 'start', kind: 'leak', element: '123', details: { flow: 10 }, ...at(60) }));
    log.record(record({ phase: 'start', kind: 'pump-trip', element: '335', ...at(120) }));
    for (let s = 60; s <= 600; s += 60) {
      if (s === 480)
        log.record(record({ phase: 'end', kind: 'leak', element: '123', details: { flow: 0 }, ...at(s) }));
      log.sample(s, T0 + s * 1000);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: res.status, body: await res.json() };
  };

  it('lists the injected events, filtered by type and time', async () => {
    const all = await get('/ground-truth/events');
    expect(all.status).toBe(200);
    expect((all.body as GroundTruthRecord[]).map((r) => `${r.kind}/${r.phase}`)).toEqual([
      'leak/start',
      'pump-trip/start',
      'leak/end',
    ]);
    const leaks = await get('/ground-truth/events?type=leak');
    expect((leaks.body as GroundTruthRecord[]).map((r) => r.phase)).toEqual(['start', 'end']);
    const from = new Date(T0 + 100_000).toISOString();
    const later = await get(`/ground-truth/events?from=${from}&to=${T0 + 480_000}`);
    expect((later.body as GroundTruthRecord[]).map((r) => r.kind)).toEqual(['pump-trip', 'leak']);
  });

  it('serves the true leak outflow of a district, following pressure as an emitter does', async () => {
    const { status, body } = await get('/ground-truth/leaks?district=Net3');
    expect(status).toBe(200);
    const series = body as {
      district: string;
      unit: string;
      points: { ts: number; simTime: number; flow: number }[];
    };
    expect(series).toMatchObject({ district: 'Net3', unit: 'm3/h' });
    // 10 m³/h at 400 kPa; at a quarter of the pressure half the flow (q ∝ √p); nothing after the end.
    expect(series.points.map((p) => [p.simTime, p.flow])).toEqual([
      [60, 10],
      [120, 10],
      [180, 10],
      [240, 10],
      [300, 5],
      [360, 5],
      [420, 5],
      [480, 0],
      [540, 0],
      [600, 0],
    ]);
    expect(series.points[0]?.ts).toBe(T0 + 60_000);
    const window = await get(
      `/ground-truth/leaks?district=Net3&from=${T0 + 200_000}&to=${new Date(T0 + 360_000).toISOString()}`,
    );
    expect((window.body as typeof series).points.map((p) => p.simTime)).toEqual([240, 300, 360]);
  });

  it('answers bad requests with catalog errors', async () => {
    expect(await get('/ground-truth/leaks')).toMatchObject({
      status: 400,
      body: { error: { code: 'WS_ERR_SIM_GT_BAD_QUERY' } },
    });
    expect(await get('/ground-truth/leaks?district=Atlantis')).toMatchObject({
      status: 404,
      body: { error: { code: 'WS_ERR_SIM_GT_UNKNOWN_DISTRICT', message: expect.stringContaining('Net3') } },
    });
    expect(await get('/ground-truth/events?from=yesterday')).toMatchObject({
      status: 400,
      body: { error: { code: 'WS_ERR_SIM_GT_BAD_QUERY' } },
    });
    expect(await get('/nothing')).toMatchObject({
      status: 404,
      body: { error: { code: 'WS_ERR_SIM_GT_NOT_FOUND' } },
    });
  });
});
