import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FakeClock } from '@watershed/common/testing';
import { AlarmService, type AlarmRule } from '@watershed/alarms';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { buildTestApi } from '../auth/testing.js';
import { alarmsRoutes } from './routes.js';

export const TURBIDITY = 'north.plc1.outlet.turbidity';

export function turbidityRule(extra: Partial<AlarmRule> = {}): AlarmRule {
  return {
    id: 'turb',
    project: 'acme/north',
    name: 'Outlet turbidity',
    point: TURBIDITY,
    severity: 'critical',
    enabled: true,
    condition: { kind: 'high', limit: 1, deadband: 0.1 },
    ...extra,
  };
}

export interface AlarmsFixture {
  store: Store;
  alarms: AlarmService;
  clock: FakeClock;
  api: FastifyInstance;
  close(): Promise<void>;
}

/** A real embedded store, a real AlarmService on a fake clock, and the routes behind real authentication. */
export async function alarmsFixture(prefix: string): Promise<AlarmsFixture> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const clock = new FakeClock();
  const store = await openEmbeddedStore({ dir, clock });
  const alarms = await AlarmService.open({ repositories: store.metadata.alarms, clock });
  const api = await buildTestApi(store, async (app, { access, auditor }) => {
    await app.register(alarmsRoutes, { access, auditor, alarms, clock });
  });
  return {
    store,
    alarms,
    clock,
    api,
    async close() {
      await api.close();
      await alarms.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Raises `turb` (and its twin in another project when `south` is set up). */
export function raise(f: AlarmsFixture, point = TURBIDITY, value = 1.8): void {
  f.alarms.ingest(point, { ts: f.clock.now(), value, quality: 'good' });
}
