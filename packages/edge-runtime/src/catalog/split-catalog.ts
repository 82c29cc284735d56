import type { GroupInfo, TagInfo } from '@watershed/model';
import { EdgeErrors } from '../errors.js';
import { catalogChecksum, type CatalogPart } from './catalog-part.js';

export interface SplitOptions {
  node: string;
  configVersion: string;
  ts: number;
  /** Bound on each part's encoded payload, bytes. */
  maxBytes: number;
}

export interface EncodedCatalog {
  checksum: string;
  tags: number;
  /** Each part's JSON, in order (part 1 first); every one at most `maxBytes` long. */
  parts: Buffer[];
}

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Cuts a catalog into parts whose JSON stays within `maxBytes`, greedily, tag by tag, so the
 * part count is the least for that order. Sizes are measured on each group's and tag's own JSON
 * (plus its separator) against a header measured with six-digit part numbers, so no part is
 * encoded twice; the result is still checked, because a limit exceeded on the wire would be
 * rejected by the broker as a whole packet [MQTT-3.1.2-24].
 */
export function splitCatalog(groups: readonly GroupInfo[], opts: SplitOptions): EncodedCatalog {
  const checksum = catalogChecksum(groups);
  const tags = groups.reduce((n, g) => n + g.tags.length, 0);
  const header = (part: number, parts: number, body: GroupInfo[]): CatalogPart => ({
    v: 1,
    node: opts.node,
    configVersion: opts.configVersion,
    checksum,
    part,
    parts,
    tags,
    ts: opts.ts,
    groups: body,
  });
  const budget = opts.maxBytes - utf8(JSON.stringify(header(999_999, 999_999, [])));

  const bodies: GroupInfo[][] = [];
  let body: GroupInfo[] = [];
  let used = 0;
  const close = (): void => {
    bodies.push(body);
    body = [];
    used = 0;
  };
  for (const group of groups) {
    // The group's JSON without tags, `"tags":[]` included, plus the comma before it.
    const envelope = utf8(JSON.stringify({ ...group, tags: [] })) + 1;
    let slice: TagInfo[] | undefined;
    const open = (): void => {
      slice = [];
      body.push({ ...group, tags: slice });
      used += envelope;
    };
    if (group.tags.length === 0) {
      if (used + envelope > budget && body.length > 0) close();
      open();
      continue;
    }
    for (const tag of group.tags) {
      const size = utf8(JSON.stringify(tag)) + 1;
      if (slice === undefined && used + envelope + size > budget && body.length > 0) close();
      if (slice === undefined) open();
      if (used + size > budget && slice!.length > 0) {
        close();
        open();
      }
      if (used + size > budget) {
        throw EdgeErrors.CATALOG_TAG_TOO_BIG.create([group.name, tag.name, opts.maxBytes]);
      }
      slice!.push(tag);
      used += size;
    }
  }
  if (body.length > 0 || bodies.length === 0) close();

  const parts = bodies.map((b, i) => Buffer.from(JSON.stringify(header(i + 1, bodies.length, b)), 'utf8'));
  for (const [i, p] of parts.entries()) {
    // A measuring slip here would otherwise surface as a broker refusing the whole packet.
    if (p.length > opts.maxBytes) throw EdgeErrors.CATALOG_PART_SIZE.create([i + 1, p.length, opts.maxBytes]);
  }
  return { checksum, tags, parts };
}
