import type { ConfigAck, EdgeReport, GroupInfo, LogTail, SampleValue, WriteResult } from '@watershed/model';
import type { Gateway, Json } from '@watershed/store';

/**
 * The contract between the fleet routes and the server's side of the management channel,
 * which needs the broker (console-api may not import it). `apps/server/src/fleet/FleetService`
 * implements it over the embedded broker; `FakeFleet` (testing.ts) stands in for route tests.
 */
export interface FleetControl {
  /** What is known live of a gateway: online, last seen, link states, poll statistics, backlog. */
  status(gateway: Gateway): GatewayLiveStatus;
  /** The gateway's last published log tail, if it sent one. */
  logs(gateway: Gateway): LogTail | undefined;
  /** Stores `config` as each gateway's next version, publishes it and waits for the acks (bounded). */
  push(gateways: readonly Gateway[], config: Json, author: string): Promise<PushResult[]>;
  /** Pushes an earlier version's config again as a new version. */
  rollback(gateway: Gateway, version: number, author: string): Promise<PushResult>;
  /**
   * Writes a tag (`group.tag`, or a name one group has) after checking it against the config
   * the gateway runs (writable, type, limits); the gateway's result carries the read-back.
   */
  write(gateway: Gateway, tag: string, value: SampleValue): Promise<WriteResult>;
  /** Clears what the channel keeps for a deleted gateway (its retained config push, live state). */
  forget(gateway: Gateway): void;
}

export interface GatewayLiveStatus {
  online: boolean;
  stale: boolean;
  lastSeen?: number;
  statusAt?: number;
  configVersion?: number;
  report?: EdgeReport;
  catalog?: GroupInfo[];
  lastAck?: ConfigAck;
}

/**
 * One gateway's part of a push. `timeout`: no ack in time; `queued`: the gateway is offline.
 * Either way the push stays retained for it, and its ack is recorded when it comes.
 */
export interface PushResult {
  gatewayId: string;
  node: string;
  version: number;
  checksum: string;
  outcome: ConfigAck['result'] | 'timeout' | 'queued';
  ack?: ConfigAck;
}
