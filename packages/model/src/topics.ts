/**
 * The topic scheme. Version first so a later scheme can live beside this one.
 *   ws/v1/{site}/{node}/{group}/data      uplink samples (UplinkMessage)
 *   ws/v1/{site}/{node}/mgmt/{channel}    management: config, ack, status, metrics, log, write
 * `mgmt` is therefore reserved and cannot name a group.
 */
export const TOPIC_ROOT = 'ws/v1';
export const RESERVED_GROUP_NAMES: readonly string[] = ['mgmt'];

export const MGMT_CHANNELS = ['config', 'ack', 'status', 'metrics', 'log', 'write', 'write-result'] as const;
export type MgmtChannel = (typeof MGMT_CHANNELS)[number];

export function dataTopic(site: string, node: string, group: string): string {
  return `${TOPIC_ROOT}/${site}/${node}/${group}/data`;
}

export function mgmtTopic(site: string, node: string, channel: MgmtChannel): string {
  return `${TOPIC_ROOT}/${site}/${node}/mgmt/${channel}`;
}

/** Filter matching every group of every node of every site. */
export const ALL_DATA_FILTER = `${TOPIC_ROOT}/+/+/+/data`;

export function siteDataFilter(site: string): string {
  return `${TOPIC_ROOT}/${site}/+/+/data`;
}

export type ParsedTopic =
  | { kind: 'data'; site: string; node: string; group: string }
  | { kind: 'mgmt'; site: string; node: string; channel: MgmtChannel };

export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 6 || parts[0] !== 'ws' || parts[1] !== 'v1') return undefined;
  const [, , site, node, a, b] = parts as [string, string, string, string, string, string];
  if (!site || !node) return undefined;
  if (a === 'mgmt') {
    return (MGMT_CHANNELS as readonly string[]).includes(b)
      ? { kind: 'mgmt', site, node, channel: b as MgmtChannel }
      : undefined;
  }
  if (b === 'data' && a) return { kind: 'data', site, node, group: a };
  return undefined;
}
