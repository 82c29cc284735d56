import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform } from '@watershed/cli';
import { waitFor } from '@watershed/common/testing';
import type { Point } from '@watershed/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorization, getJson, latest, type ApiSample } from '../support/api.js';

// The whole slice on loopback: simulator (EPANET Net3 → Modbus TCP) → edge gateway → MQTT →
// broker → ingest → embedded store → REST API. Time runs 60× so values move quickly.

interface Snapshot {
  at: number;
  values: Record<string, number | boolean>;
}

let platform: Platform;
let dataDir: string;
const history: Snapshot[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-'));
  platform = await startPlatform({
    dataDir,
    apiPort: 0,
    mqttPort: 0,
    speed: 60,
    seed: 7,
    pollIntervalMs: 500,
  });
  const plant = platform.sim.plants[0]!;
  const record = () => history.push({ at: Date.now(), values: { ...platform.sim.current(plant.id) } });
  record();
  platform.sim.onTick(record);
});

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function plantPoints(): { id: string; tag: string }[] {
  const plant = platform.sim.plants[0]!;
  const edge = platform.edgeConfigs[0]!;
  return plant.tags.map((t) => ({ id: `${edge.site}.${edge.node}.process.${t.tag}`, tag: t.tag }));
}

function close(a: number | boolean, b: number | boolean): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  // float32 on the wire: 7 significant digits
  return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
}

describe('platform end to end', () => {
  it('registers every plant tag as a point with its unit', async () => {
    const expected = plantPoints();
    const api = platform.server.apiUrl;
    const listed = await waitFor(
      async () => {
        const r = await getJson<{ items: Point[] }>(
          `${api}/api/v1/points`,
          await authorization(platform.server),
        );
        return r.body.items.length >= expected.length ? r.body.items : undefined;
      },
      { timeoutMs: 30_000, message: 'points were not registered' },
    );
    expect(listed.map((p) => p.id).sort()).toEqual(expected.map((p) => p.id).sort());
    const tags = platform.sim.plants[0]!.tags;
    for (const p of listed) expect(p.unit ?? '').toBe(tags.find((t) => t.tag === p.tag)?.unit ?? '');
  });

  it('stores values equal to what the simulator served, with no sequence gaps', async () => {
    const points = plantPoints();
    // Let several polls arrive.
    await waitFor(() => Object.values(platform.server.ingest().groups)[0]!.messages >= 6, {
      timeoutMs: 30_000,
      message: 'uplink messages did not arrive',
    });
    for (const p of points) {
      const s = await latest(platform.server, p.id);
      expect(s, `latest of ${p.id}`).toBeDefined();
      expect(s!.quality).toBe('good');
      // The poll stamped at ts read the registers a moment later: the simulator served this
      // value at some tick between one simulator step before ts and the read.
      const near = history.filter((h) => h.at >= s!.ts - 2000 && h.at <= s!.ts + 4000);
      expect(near.length, `simulator snapshots near ${s!.ts}`).toBeGreaterThan(0);
      const served = near.map((h) => h.values[p.tag]!);
      expect(
        served.some((v) => close(s!.value as number | boolean, v)),
        `${p.id}: stored ${String(s!.value)} not among served ${served.join(', ')}`,
      ).toBe(true);
    }
    const groups = platform.server.ingest().groups;
    for (const [key, g] of Object.entries(groups)) {
      expect(g.missing, `missing seq in ${key}`).toBe(0);
      expect(g.duplicates, `duplicate seq in ${key}`).toBe(0);
    }
  });

  it('serves series, health, metrics and the OpenAPI document', async () => {
    const api = platform.server.apiUrl;
    const id = plantPoints()[0]!.id;
    const to = Date.now();
    const series = await getJson<{ samples: ApiSample[] }>(
      `${api}/api/v1/points/${encodeURIComponent(id)}/series?from=${to - 60_000}&to=${to}`,
      await authorization(platform.server),
    );
    expect(series.status).toBe(200);
    expect(series.body.samples.length).toBeGreaterThan(2);
    const ts = series.body.samples.map((s) => s.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect((await getJson<{ status: string }>(`${api}/healthz`)).body.status).toBe('ok');
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/^# TYPE /m);
    const doc = await getJson<{ paths: Record<string, unknown> }>(`${api}/docs/json`);
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/points/{id}/latest');
  });
});
