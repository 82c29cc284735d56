import { defineError } from '@watershed/common';
import { parsePointId, type Quality, type SampleValue } from '@watershed/model';
import type { SampleRow, Store } from '@watershed/store';

export const StoreSinkErrors = {
  BAD_ROW: defineError(
    'WS_ERR_STORE_SINK_ROW',
    400,
    'rule output row cannot be stored: %s (needs point = "site.node.group.tag", value, and optionally ts and quality)',
  ),
} as const;

const QUALITIES: readonly string[] = ['good', 'uncertain', 'bad'];

/**
 * The `store` sink of the rule engine: rows shaped `{ point, value, ts?, quality? }` become
 * samples, so a rule can write derived points (a 1-minute average, a district balance) next to
 * the measured ones. A row of another shape fails that batch with a catalog error the rule's
 * action metrics show; the rest of the engine goes on.
 */
export function storeSink(
  store: Store,
  now: () => number,
): { write(rows: readonly Record<string, unknown>[]): Promise<void> } {
  return {
    write(rows) {
      const samples: SampleRow[] = [];
      for (const r of rows) {
        const point = r['point'];
        const value = r['value'];
        if (typeof point !== 'string' || !parsePointId(point)) {
          return Promise.reject(StoreSinkErrors.BAD_ROW.create([`point ${JSON.stringify(point)}`]));
        }
        if (!(value === null || ['number', 'boolean', 'string'].includes(typeof value))) {
          return Promise.reject(StoreSinkErrors.BAD_ROW.create([`value of ${point} is ${typeof value}`]));
        }
        const ts = typeof r['ts'] === 'number' ? Math.round(r['ts']) : now();
        const quality =
          typeof r['quality'] === 'string' && QUALITIES.includes(r['quality']) ? r['quality'] : 'good';
        samples.push({ point, ts, value: value as SampleValue, quality: quality as Quality });
      }
      return store.writeSamples(samples);
    },
  };
}
