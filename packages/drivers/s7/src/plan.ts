/**
 * Read planning: tags in the same area (and DB) whose bytes lie close together are read as one
 * range, ranges are cut into items that fit a response PDU, and items are packed into as few
 * Read Var jobs as the negotiated PDU size allows (both the job and its acknowledgement must fit).
 */
import type { S7Address } from './address.js';
import { DATA_ITEM_HEADER, ITEM_SPEC_LENGTH, READ_PARAM_FIXED, type VarSpec } from './codec/s7comm.js';

/** S7 header of a job (10) and of an acknowledgement with data (12, error class and code). */
const JOB_HEADER = 10;
const ACK_HEADER = 12;

export interface PlanOptions {
  /** Negotiated PDU length (Setup Communication). */
  readonly pduSize: number;
  /** Unrequested bytes a range may span to join two tags; negative = never join tags. */
  readonly maxGap: number;
  /** Items per job; snap7 and S7-300 CPUs accept at most 20. */
  readonly maxItems: number;
}

export interface PlannedTag {
  /** Position in the caller's tag list. */
  readonly index: number;
  readonly address: S7Address;
}

/** Consecutive bytes of one area read for a set of tags, possibly in several items. */
export interface ReadRange {
  readonly areaCode: number;
  readonly db: number;
  readonly start: number;
  readonly length: number;
  readonly tags: readonly PlannedTag[];
  /** The items that together cover the range, in order. */
  readonly items: readonly VarSpec[];
}

export interface ReadPlan {
  readonly ranges: readonly ReadRange[];
  /** Jobs, each a list of items (the same objects as in `ranges[].items`). */
  readonly jobs: readonly (readonly VarSpec[])[];
}

/** Largest item data that fits one acknowledgement alone. */
export function maxItemBytes(pduSize: number): number {
  return pduSize - ACK_HEADER - READ_PARAM_FIXED - DATA_ITEM_HEADER;
}

export function planReads(tags: readonly PlannedTag[], o: PlanOptions): ReadPlan {
  const groups = new Map<string, PlannedTag[]>();
  for (const t of tags) {
    const key = `${t.address.areaCode}:${t.address.db}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(t);
  }
  const ranges: ReadRange[] = [];
  const itemLimit = maxItemBytes(o.pduSize);
  for (const group of groups.values()) {
    group.sort((a, b) => a.address.start - b.address.start);
    let open: { start: number; end: number; tags: PlannedTag[] } | undefined;
    const flush = (): void => {
      if (!open) return;
      const { areaCode, db } = open.tags[0]!.address;
      const items: VarSpec[] = [];
      for (let s = open.start; s < open.end; s += itemLimit) {
        items.push({
          area: areaCode,
          db,
          start: s,
          bit: 0,
          size: 'byte',
          count: Math.min(itemLimit, open.end - s),
        });
      }
      ranges.push({ areaCode, db, start: open.start, length: open.end - open.start, tags: open.tags, items });
    };
    for (const t of group) {
      const end = t.address.start + t.address.size;
      if (open && o.maxGap >= 0 && t.address.start <= open.end + o.maxGap) {
        open.end = Math.max(open.end, end);
        open.tags.push(t);
      } else {
        flush();
        open = { start: t.address.start, end, tags: [t] };
      }
    }
    flush();
  }
  return {
    ranges,
    jobs: packJobs(
      ranges.flatMap((r) => r.items),
      o,
    ),
  };
}

function packJobs(items: readonly VarSpec[], o: PlanOptions): VarSpec[][] {
  const jobs: VarSpec[][] = [];
  let job: VarSpec[] = [];
  let reply = ACK_HEADER + READ_PARAM_FIXED;
  for (const it of items) {
    const need = DATA_ITEM_HEADER + it.count + (it.count % 2);
    const request = JOB_HEADER + READ_PARAM_FIXED + ITEM_SPEC_LENGTH * (job.length + 1);
    if (job.length > 0 && (job.length >= o.maxItems || request > o.pduSize || reply + need > o.pduSize)) {
      jobs.push(job);
      job = [];
      reply = ACK_HEADER + READ_PARAM_FIXED;
    }
    job.push(it);
    reply += need;
  }
  if (job.length > 0) jobs.push(job);
  return jobs;
}
