import { Errors, type Logger } from '@watershed/common';
import type { SimConfig } from '../../config.js';
import { durationSeconds } from '../../scenario/events.js';
import { VendorFleet } from './fleet.js';
import { VENDORS } from './shapes.js';
import { httpUplink, mqttUplink } from './uplink.js';

/**
 * Starts the configured NB-IoT meter fleets, each connected to its broker or URL. `started`
 * receives every fleet as soon as it exists, so the caller can close those already open when a
 * later one fails.
 */
export async function startVendorFleets(
  opts: Pick<SimConfig, 'vendorMeters' | 'meters'>,
  ctx: { seed: number; simStart: number; logger: Logger; started: (fleet: VendorFleet) => void },
): Promise<void> {
  const epochMs = Date.parse(`${opts.meters?.startDate ?? '2026-01-01'}T00:00:00Z`);
  for (const [index, v] of opts.vendorMeters.entries()) {
    const intervalS =
      v.interval !== undefined ? durationSeconds(v.interval) : VENDORS[v.vendor].defaultIntervalS;
    if (!(intervalS >= 1))
      throw Errors.CONFIG_INVALID.create([
        'simulator options',
        `vendorMeters.${index}.interval: ${String(v.interval)} must be at least 1 s`,
      ]);
    const uplink =
      v.transport === 'mqtt'
        ? await mqttUplink(v.url, `watershed-sim-${v.vendor}-${index}-${ctx.seed}`)
        : httpUplink(v.url);
    ctx.started(
      new VendorFleet({
        vendor: v.vendor,
        count: v.count,
        intervalS,
        seed: ctx.seed,
        start: ctx.simStart,
        epochMs,
        index,
        ...(opts.meters?.dailyM3PerMeter !== undefined
          ? { dailyM3PerMeter: opts.meters.dailyM3PerMeter }
          : {}),
        uplink,
        logger: ctx.logger.child({ vendor: v.vendor, transport: v.transport }),
      }),
    );
  }
}
