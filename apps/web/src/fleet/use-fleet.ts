import { isAbort } from '../api/client.js';
import {
  gatewayConfigs,
  gatewayDetail,
  listGateways,
  type ConfigSummary,
  type GatewayDetail,
  type GatewayRow,
} from './fleet-api.js';
import { usePoll, type Polled } from './use-poll.js';

const REFRESH_MS = 10_000;

export interface FleetRow {
  gateway: GatewayRow;
  /** Its live report and last ack; undefined while loading or when it could not be read. */
  detail: GatewayDetail | undefined;
  configs: ConfigSummary[];
}

/**
 * The gateways with what the table shows of each: the list carries only a status summary, so
 * each gateway's detail (report: buffer, devices) and config versions (acks) are read beside it.
 */
export function useFleet(): Polled<FleetRow[]> {
  return usePoll(
    async (signal) => {
      const list = await listGateways(signal);
      return Promise.all(
        list.map(async (gateway): Promise<FleetRow> => {
          const [detail, configs] = await Promise.all([
            gatewayDetail(gateway.id, signal).catch(orUndefined),
            gatewayConfigs(gateway.id, signal).catch(orUndefined),
          ]);
          return { gateway, detail, configs: configs ?? [] };
        }),
      );
    },
    REFRESH_MS,
    'fleet',
  );
}

/** One gateway failing to answer leaves its cells empty rather than the whole table. */
function orUndefined(err: unknown): undefined {
  if (isAbort(err)) throw err;
  return undefined;
}
