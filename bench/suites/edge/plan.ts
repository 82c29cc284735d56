/**
 * The edge suite's plant: how 30,000 tags are laid out over simulated Modbus TCP devices, and
 * the gateway config that polls them. Pure functions, shared by the device process, the
 * gateway process and the backlog builder, so all three agree on every address and name.
 */
import type { EdgeConfigInput } from '@watershed/edge';

export interface PlantLayout {
  /** Modbus TCP servers, one per simulated PLC. */
  devices: number;
  /** float32 tags per device, two holding registers each, packed from register 1. */
  tagsPerDevice: number;
  /** Tags per poll group; one uplink message per group per poll. */
  tagsPerGroup: number;
  intervalMs: number;
  /**
   * Fraction of tags whose value moves each second. 1 = every value changes (deadband cannot
   * hide any load); below 1 the tags carry a deadband, as a real deployment does.
   */
  changeFraction: number;
  /**
   * Modbus TCP requests the gateway keeps outstanding per device (the driver's `maxInFlight`,
   * told apart by MBAP transaction id). 1 = one at a time, as Neuron polls and as many PLCs
   * require; higher values need a device that queues requests.
   */
  inFlight: number;
}

/** 30 PLCs × 1,000 float32 tags, 250-tag groups (4 reads of 125 registers each), 1 s. */
export const DEFAULT_LAYOUT: PlantLayout = {
  devices: 30,
  tagsPerDevice: 1000,
  tagsPerGroup: 250,
  intervalMs: 1000,
  changeFraction: 1,
  inFlight: 1,
};

/** Deadband of the tags in the realistic-change variant; values move by ±1 when they move. */
export const DEADBAND = 0.5;
/** Heartbeat of deadbanded tags (TagConfig.maxSilenceS). */
export const MAX_SILENCE_S = 60;

export const SITE = 'bench';
export const NODE = 'gw1';

export function totalTags(l: PlantLayout): number {
  return l.devices * l.tagsPerDevice;
}

export function groupsPerDevice(l: PlantLayout): number {
  return Math.ceil(l.tagsPerDevice / l.tagsPerGroup);
}

export function totalGroups(l: PlantLayout): number {
  return l.devices * groupsPerDevice(l);
}

export function deviceName(d: number): string {
  return `plc${String(d + 1).padStart(2, '0')}`;
}

export function groupName(d: number, g: number): string {
  return `${deviceName(d)}-g${g + 1}`;
}

export function tagName(t: number): string {
  return `t${String(t + 1).padStart(4, '0')}`;
}

/** Neuron-style address of tag `t` (0-based): holding registers 2t+1 and 2t+2, unit 1. */
export function tagAddress(t: number): string {
  return `1!4${String(2 * t + 1).padStart(5, '0')}`;
}

/** Tag indices of group `g` of one device. */
export function groupTags(l: PlantLayout, g: number): number[] {
  const from = g * l.tagsPerGroup;
  const to = Math.min(l.tagsPerDevice, from + l.tagsPerGroup);
  return Array.from({ length: to - from }, (_, i) => from + i);
}

export interface GatewayPaths {
  bufferFile: string;
  brokerUrl: string;
}

/** The gateway's config: one device per server port, groups of float32 tags. */
export function gatewayConfig(
  l: PlantLayout,
  ports: readonly number[],
  paths: GatewayPaths,
): EdgeConfigInput {
  if (ports.length !== l.devices) throw new Error(`expected ${l.devices} device ports, got ${ports.length}`);
  const deadbanded = l.changeFraction < 1;
  return {
    site: SITE,
    node: NODE,
    uplink: { url: paths.brokerUrl, qos: 1, reconnectMs: 200 },
    buffer: { file: paths.bufferFile },
    // No console in the bench: the management agent's reports are not the load measured.
    mgmt: { enabled: false },
    devices: ports.map((port, d) => ({
      name: deviceName(d),
      driver: 'modbus-tcp',
      config: { host: '127.0.0.1', port, ...(l.inFlight > 1 && { maxInFlight: l.inFlight }) },
      groups: Array.from({ length: groupsPerDevice(l) }, (_, g) => ({
        name: groupName(d, g),
        intervalMs: l.intervalMs,
        tags: groupTags(l, g).map((t) => ({
          name: tagName(t),
          address: tagAddress(t),
          dataType: 'float' as const,
          ...(deadbanded && { deadband: DEADBAND, maxSilenceS: MAX_SILENCE_S }),
        })),
      })),
    })),
  };
}

/**
 * The value tag `t` of device `d` holds at second `k`: a slow ramp plus a per-tag offset, so
 * every changing value differs from its last one by exactly 1 and from its neighbours too.
 * With changeFraction < 1 a tag moves only on the seconds its hash selects.
 */
export function valueAt(l: PlantLayout, d: number, t: number, k: number): number {
  const base = d * 10_000 + t;
  if (l.changeFraction >= 1) return base + (k % 1000);
  const period = Math.max(1, Math.round(1 / l.changeFraction));
  // Tags are staggered over the period so the same fraction moves every second.
  const moves = Math.floor((k + ((d * 7919 + t) % period)) / period);
  return base + (moves % 1000);
}
