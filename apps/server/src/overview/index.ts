import { loadConfig, type Clock, type Logger } from '@watershed/common';
import { OverviewConfig } from './config.js';
import { isTimeZone, systemTimeZone } from './day-start.js';
import { IntervalTracker, type SampleFeed } from './interval-tracker.js';
import { buildOverviewMap, unconfiguredMap } from './map-builder.js';
import { ServerOverview, type AlarmList } from './overview-service.js';
import type { Store } from '@watershed/store';
import { OverviewErrors } from './errors.js';

export { OverviewConfig, OverviewMapConfig, OverviewDistrict, OverviewSite } from './config.js';
export { OverviewErrors } from './errors.js';
export { ServerOverview, type AlarmList } from './overview-service.js';
export type { OverviewService, OverviewKpis, OverviewMap, OverviewMapDocument } from './wire.js';

export interface ServerOverviewStart {
  /** The server config's `overview` section (defaults when absent). */
  config?: OverviewConfig | undefined;
  store: Store;
  /** The live feed of stored samples: the intervals of points are learnt from it. */
  live: SampleFeed;
  alarms?: AlarmList;
  clock: Clock;
  logger: Logger;
}

export interface RunningOverview {
  readonly service: ServerOverview;
  close(): void;
}

/**
 * The city overview of the server: reads and simplifies the map's network models once (a bad
 * file or element fails the start, naming its config path) and starts learning point intervals.
 * `close` stops listening to the live feed.
 */
export async function startServerOverview(opts: ServerOverviewStart): Promise<RunningOverview> {
  const config = opts.config ?? loadConfig({ schema: OverviewConfig, value: {}, label: 'overview' });
  const timeZone = config.timeZone ?? systemTimeZone();
  if (!isTimeZone(timeZone)) throw OverviewErrors.TIME_ZONE.create([timeZone]);
  const map = config.map ? await buildOverviewMap(config.map) : unconfiguredMap();
  if (!config.map) opts.logger.info('no overview.map configured: the overview shows KPIs and sites only');
  const intervals = new IntervalTracker(opts.live);
  const service = new ServerOverview({
    store: opts.store,
    config,
    timeZone,
    map,
    intervals,
    clock: opts.clock,
    ...(opts.alarms && { alarms: opts.alarms }),
  });
  return { service, close: () => intervals.close() };
}
