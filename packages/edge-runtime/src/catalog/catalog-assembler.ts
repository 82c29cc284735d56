import type { GroupInfo } from '@watershed/model';
import { EdgeErrors } from '../errors.js';
import { catalogChecksum, type CatalogPart } from './catalog-part.js';

export interface AssembledCatalog {
  node: string;
  configVersion: string;
  checksum: string;
  ts: number;
  groups: GroupInfo[];
}

export type AssembleOutcome =
  | { kind: 'complete'; catalog: AssembledCatalog }
  /** More parts of this catalog are awaited. */
  | { kind: 'pending'; received: number; parts: number }
  /** Every part came but the whole does not match its checksum; the set is dropped. */
  | { kind: 'corrupt'; error: Error };

interface PartSet {
  ts: number;
  parts: (CatalogPart | undefined)[];
  received: number;
}

/**
 * Puts gateways' catalogs back together from their parts (see CatalogPart), for the cloud side
 * and for tests. Parts may come in any order and repeat (retained parts are sent again on every
 * subscribe); a set completes once every index of one checksum is present, and the result is
 * verified against that checksum. Per gateway at most `keep` incomplete sets are held, the
 * newest by `ts`: a stale retained part of an older catalog cannot grow memory without bound.
 */
export class CatalogAssembler {
  readonly #keep: number;
  readonly #nodes = new Map<string, Map<string, PartSet>>();

  constructor(opts: { keep?: number } = {}) {
    this.#keep = opts.keep ?? 2;
  }

  add(part: CatalogPart): AssembleOutcome {
    let sets = this.#nodes.get(part.node);
    if (!sets) this.#nodes.set(part.node, (sets = new Map<string, PartSet>()));
    let set = sets.get(part.checksum);
    if (!set || set.parts.length !== part.parts) {
      set = {
        ts: part.ts,
        parts: new Array<CatalogPart | undefined>(part.parts).fill(undefined),
        received: 0,
      };
      sets.set(part.checksum, set);
      this.#bound(sets);
    }
    if (set.parts[part.part - 1] === undefined) set.received++;
    set.parts[part.part - 1] = part;
    set.ts = Math.max(set.ts, part.ts);
    if (set.received < part.parts) return { kind: 'pending', received: set.received, parts: part.parts };

    sets.delete(part.checksum);
    const groups = mergeGroups(set.parts as CatalogPart[]);
    const actual = catalogChecksum(groups);
    if (actual !== part.checksum) {
      return {
        kind: 'corrupt',
        error: EdgeErrors.CATALOG_CHECKSUM.create([part.node, part.parts, actual, part.checksum]),
      };
    }
    return {
      kind: 'complete',
      catalog: {
        node: part.node,
        configVersion: part.configVersion,
        checksum: part.checksum,
        ts: set.ts,
        groups,
      },
    };
  }

  /**
   * The part numbers (1-based) still missing from a gateway's newest incomplete catalog, e.g.
   * to report a part lost on the way once the announcement is older than expected.
   */
  missing(node: string): { checksum: string; parts: number[] } | undefined {
    const sets = this.#nodes.get(node);
    if (!sets || sets.size === 0) return undefined;
    const [checksum, set] = [...sets].reduce((a, b) => (b[1].ts > a[1].ts ? b : a));
    const parts = set.parts.flatMap((p, i) => (p === undefined ? [i + 1] : []));
    return { checksum, parts };
  }

  #bound(sets: Map<string, PartSet>): void {
    while (sets.size > this.#keep) {
      const [oldest] = [...sets].reduce((a, b) => (b[1].ts < a[1].ts ? b : a));
      sets.delete(oldest);
    }
  }
}

/** Concatenates the parts' groups, joining a group continued across a part boundary. */
function mergeGroups(parts: readonly CatalogPart[]): GroupInfo[] {
  const out: GroupInfo[] = [];
  for (const [i, part] of parts.entries()) {
    for (const [j, g] of part.groups.entries()) {
      const last = out.at(-1);
      if (i > 0 && j === 0 && last && last.name === g.name && last.device === g.device) {
        last.tags.push(...g.tags);
      } else {
        out.push({ ...g, tags: [...g.tags] });
      }
    }
  }
  return out;
}
