import type { Logger } from '@watershed/common';
import { loadScenario, type SimConfig } from '@watershed/sim';
import { join } from 'node:path';

import type { ScenarioName } from './scenario-names.js';

/**
 * A shipped scenario fitted to this platform: the vendor meters that publish over MQTT go to the
 * platform's own broker (the file names port 1883, which `up --mqtt-port` may have moved); those
 * that POST over HTTP are left out — the server has no vendor uplink endpoint, so their posts
 * would only fail. The ground-truth log goes into the data dir, not the working directory.
 * Host and ports in the file are overridden by `startPlatform`'s own.
 */
export function scenarioSettings(
  name: ScenarioName,
  ctx: { dataDir: string; mqttUrl: string; logger: Logger },
): Partial<SimConfig> {
  // The environment is not overlaid: `up`'s own options are the way to change a run.
  const config = loadScenario(name, {});
  const http = config.vendorMeters.filter((v) => v.transport === 'http');
  for (const v of http)
    ctx.logger.warn(
      { vendor: v.vendor, count: v.count, url: v.url },
      'vendor meters posting over HTTP left out: the server has no endpoint for them',
    );
  return {
    ...config,
    vendorMeters: config.vendorMeters
      .filter((v) => v.transport === 'mqtt')
      .map((v) => ({ ...v, url: ctx.mqttUrl })),
    groundTruthFile: join(ctx.dataDir, 'sim', `${name}-ground-truth.jsonl`),
  };
}
