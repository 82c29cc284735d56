import type { Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import type { ServerConfig } from '../config.js';
import { StoreAnalyticsService } from './service.js';

/**
 * The analytics service of a server: its `analytics` section, and for GB 5749 compliance the
 * points the `alarms` section maps for the gb5749-2022 rule set (so a point the utility has
 * mapped for alarms is reported on without being listed twice).
 */
export function createAnalyticsService(opts: {
  config: ServerConfig;
  store: Store;
  clock?: Clock;
}): StoreAnalyticsService {
  const mappings = (opts.config.alarms?.ruleSets ?? [])
    .filter((rs) => rs.set === 'gb5749-2022')
    .flatMap((rs) => rs.mapping);
  return new StoreAnalyticsService({
    store: opts.store,
    config: opts.config.analytics,
    qualityMappings: mappings,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
}
