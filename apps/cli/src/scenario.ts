import type { Logger } from '@watershed/common';
import { loadScenario, type SimConfig } from '@watershed/sim';
import { join } from 'node:path';

import type { ScenarioName } from './scenario-names.js';

/** Where the platform's server takes vendor meter readings posted over HTTP, and with what token. */
export interface MeterUplinkTarget {
  /** The server's base URL, e.g. http://127.0.0.1:8080 */
  apiUrl: string;
  /** The token the server's `meters:` section accepts for every HTTP vendor (`scenarioMeters`). */
  token: string;
}

/**
 * A shipped scenario fitted to this platform: the vendor meters that publish over MQTT go to the
 * platform's own broker (the file names port 1883, which `up --mqtt-port` may have moved); those
 * that POST over HTTP go to the server's uplink endpoint `/api/v1/meters/uplink/{vendor}`, with
 * the token in the URL (RFC 6750 §2.3) because the simulator's HTTP uplink sets no headers of
 * its own. The ground-truth log goes into the data dir, not the working directory.
 * Host and ports in the file are overridden by `startPlatform`'s own.
 */
export function scenarioSettings(
  name: ScenarioName,
  ctx: { dataDir: string; mqttUrl: string; meterUplink: MeterUplinkTarget; logger: Logger },
): Partial<SimConfig> {
  // The environment is not overlaid: `up`'s own options are the way to change a run.
  const config = loadScenario(name, {});
  return {
    ...config,
    vendorMeters: config.vendorMeters.map((v) => ({
      ...v,
      url: v.transport === 'mqtt' ? ctx.mqttUrl : uplinkUrl(ctx.meterUplink, v.vendor),
    })),
    groundTruthFile: join(ctx.dataDir, 'sim', `${name}-ground-truth.jsonl`),
  };
}

/** The URL a vendor's simulated platform POSTs to. */
export function uplinkUrl(target: MeterUplinkTarget, vendor: string): string {
  const url = new URL(`/api/v1/meters/uplink/${encodeURIComponent(vendor)}`, target.apiUrl);
  url.searchParams.set('access_token', target.token);
  return url.toString();
}

/**
 * The topics the simulator's vendors publish to (apps/sim/src/meters/vendors/shapes.ts,
 * `VENDORS[v].topicOf(id)`) as filters over every meter id.
 */
const VENDOR_TOPICS: Record<SimConfig['vendorMeters'][number]['vendor'], string> = {
  a: 'vendor-a/meters/+/up',
  b: 'vendorb/uplink/+',
  c: 'vc/+/data',
};

/**
 * The server's `meters:` section for a scenario: one vendor per simulated vendor, on the
 * transport its fleets use (HTTP vendors accept `token`), decoded by the built-in decoder of
 * its format. The simulated meters carry no district: they register under `unassigned`.
 * Undefined when the scenario has no vendor meters (the server's defaults then apply).
 */
export function scenarioMeters(name: ScenarioName, token: string): Record<string, unknown> | undefined {
  const fleets = loadScenario(name, {}).vendorMeters;
  if (fleets.length === 0) return undefined;
  const vendors = new Map<string, Record<string, unknown>>();
  for (const f of fleets) {
    const transport =
      f.transport === 'mqtt'
        ? { type: 'mqtt', topic: VENDOR_TOPICS[f.vendor] }
        : { type: 'http', tokens: [token] };
    const known = vendors.get(f.vendor);
    // Two fleets of one vendor on different transports: MQTT wins the vendor id, and the HTTP
    // fleet's posts are refused (a vendor id has one transport); the shipped scenarios have none.
    if (known && (known.transport as { type: string }).type === 'mqtt') continue;
    vendors.set(f.vendor, {
      id: f.vendor,
      name: `Vendor ${f.vendor.toUpperCase()} (simulated, ${f.transport.toUpperCase()})`,
      transport,
      decoder: `vendor-${f.vendor}`,
      district: { from: 'registry', fallback: 'unassigned' },
    });
  }
  return { vendors: [...vendors.values()] };
}
