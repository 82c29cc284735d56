import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@watershed/common';
import { openEmbeddedStore } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';
import { createAnalyticsService } from './create.js';

describe('createAnalyticsService', () => {
  it('reports GB 5749 compliance on the points the alarms section maps for the rule set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-analytics-create-'));
    const store = await openEmbeddedStore({ dir });
    try {
      const T = Date.UTC(2026, 10, 27);
      await store.upsertPoints([
        {
          id: 'hill.hill-works.process.OUT_CL',
          site: 'hill',
          node: 'hill-works',
          group: 'process',
          tag: 'OUT_CL',
        },
        {
          id: 'hill.hill-works.process.Q1_CL',
          site: 'hill',
          node: 'hill-works',
          group: 'process',
          tag: 'Q1_CL',
        },
      ]);
      await store.writeSamples(
        Array.from({ length: 60 }, (_, i) => ({
          point: 'hill.hill-works.process.OUT_CL',
          ts: T + i * 60_000,
          value: i < 30 ? 0.5 : 0.2,
          quality: 'good' as const,
        })),
      );
      const config = loadConfig({
        schema: ServerConfig,
        value: {
          alarms: {
            ruleSets: [
              {
                set: 'gb5749-2022',
                project: 'default/default',
                mapping: [
                  { point: 'hill.hill-works.process.OUT_CL', role: 'plant-outlet', quantity: 'chlorine' },
                ],
              },
            ],
          },
        },
      });
      const report = await createAnalyticsService({ config, store }).quality(
        { from: T, to: T + 3_600_000 },
        'default/default',
      );
      expect(report.items.map((i) => i.point)).toEqual(['hill.hill-works.process.OUT_CL']);
      // 表2: at least 0.3 mg/L leaving the works; the last half hour was below.
      expect(report.items[0]).toMatchObject({
        min: 0.3,
        max: 2,
        compliancePct: 50,
        excursions: [{ side: 'low', open: true }],
      });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
