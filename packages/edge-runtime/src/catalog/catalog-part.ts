import { GroupInfo, TOPIC_ROOT } from '@watershed/model';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { configChecksum } from '../mgmt/checksum.js';

/**
 * One part of a gateway's tag catalog, retained on `ws/v1/{site}/{node}/mgmt/catalog/{part}`.
 * A 30,000-tag catalog is over 1 MiB of JSON, more than many brokers take in one PUBLISH
 * (EMQX's default `max_packet_size` is 1 MB, [MQTT-3.1.2-24] lets any server set one), so it
 * travels as numbered parts each under a size limit. Every part names the whole it belongs to
 * (`checksum`, `configVersion`, `parts`), so a reader can put the parts together in any arrival
 * order, drop stale retained parts of an older catalog, and tell a missing part from a late one.
 * A group too big for one part is continued in the next: the same group name appears at the
 * end of one part and the start of the next, each with a slice of its tags, in order.
 */
export const CatalogPart = Type.Object(
  {
    v: Type.Literal(1),
    node: Type.String(),
    configVersion: Type.String(),
    /** Lowercase hex SHA-256 of the canonical JSON of the whole `GroupInfo[]` catalog. */
    checksum: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    /** 1-based index of this part. */
    part: Type.Integer({ minimum: 1 }),
    /** How many parts the catalog has. */
    parts: Type.Integer({ minimum: 1 }),
    /** Tags in the whole catalog, so a reader can size and sanity-check the result. */
    tags: Type.Integer({ minimum: 0 }),
    ts: Type.Integer(),
    groups: Type.Array(GroupInfo),
  },
  { additionalProperties: false },
);
export type CatalogPart = Static<typeof CatalogPart>;

const partValidator = Compile(CatalogPart);

/** Topic of part `part` (1-based) of a gateway's catalog. */
export function catalogTopic(site: string, node: string, part: number): string {
  return `${TOPIC_ROOT}/${site}/${node}/mgmt/catalog/${part}`;
}

/** Filter for every part of one gateway's catalog (`+` for either to cover many). */
export function catalogFilter(site = '+', node = '+'): string {
  return `${TOPIC_ROOT}/${site}/${node}/mgmt/catalog/+`;
}

/** The catalog's checksum: SHA-256 of its canonical JSON, as configs are checked. */
export function catalogChecksum(groups: readonly GroupInfo[]): string {
  return configChecksum(groups);
}

/** Parses and validates one part; undefined when the payload is not a catalog part. */
export function decodeCatalogPart(payload: Uint8Array | string): CatalogPart | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!partValidator.Check(value)) return undefined;
  const part = value;
  return part.part <= part.parts ? part : undefined;
}
