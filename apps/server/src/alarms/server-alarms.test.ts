import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, silentLogger } from '@watershed/common';
import { FakeClock, waitFor } from '@watershed/common/testing';
import { LiveHub } from '@watershed/console-api';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { startServerAlarms } from './server-alarms.js';

const P = 'north.plc1.outlet.turbidity';

describe('server alarms', () => {
  let dir: string;
  let store: Store;
  let hook: Server;
  let hookUrl: string;
  const received: { event: { kind: string; severity: string }; alarm: { id: string } }[] = [];
  const clock = new FakeClock();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-server-alarms-'));
    store = await openEmbeddedStore({ dir, clock });
    received.length = 0;
    hook = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number]);
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alarm`;
  });

  afterEach(async () => {
    await store.close();
    await new Promise<void>((r) => hook.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  const rows = (value: number): SampleRow[] => [{ point: P, ts: clock.now(), value, quality: 'good' }];

  it('evaluates the samples the ingest publishes, notifies the webhook and keeps the alarm across a restart', async () => {
    const live = new LiveHub();
    const metrics = createMetricsRegistry();
    const first = await startServerAlarms({
      store,
      live,
      clock,
      logger: silentLogger(),
      metrics,
      config: {
        webhooks: [{ url: hookUrl, minSeverity: 'major' }],
        ruleSets: [
          {
            set: 'gb5749-2022',
            project: 'city',
            mapping: [{ point: P, role: 'plant-outlet', quantity: 'turbidity' }],
          },
        ],
      },
    });
    expect((await first.service.listRules()).map((r) => r.rule.id)).toEqual([
      `gb5749-2022.turbidity-max.${P}`,
    ]);
    const changes: string[] = [];
    first.service.subscribe((e) => changes.push(e.kind));
    for (let i = 0; i < 5; i++) {
      live.publish(rows(2.4));
      await clock.advance(10_000);
    }
    expect(changes).toEqual(['raised']);
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatchObject({ event: { kind: 'raised', severity: 'critical' } });
    expect(await metrics.getSingleMetricAsString('watershed_alarms_active')).toMatch(
      /severity="critical"} 1/,
    );
    await first.close();
    expect(live.subscribers).toBe(0);

    const second = await startServerAlarms({ store, live, clock, logger: silentLogger() });
    expect(second.service.list()).toEqual([
      expect.objectContaining({ point: P, active: true, acknowledged: false, severity: 'critical' }),
    ]);
    await second.close();
  });

  it('prunes history past the retention', async () => {
    const live = new LiveHub();
    await store.metadata.alarms.history.append({
      alarm: 'a',
      project: 'city',
      point: P,
      kind: 'raised',
      at: clock.now() - 2 * 86_400_000,
      event: {},
    });
    const alarms = await startServerAlarms({
      store,
      live,
      clock,
      logger: silentLogger(),
      config: { historyRetentionDays: 1 },
    });
    await waitFor(async () => (await store.metadata.alarms.history.query()).entries.length === 0);
    await alarms.close();
    expect(clock.pending).toBe(0);
  });
});
