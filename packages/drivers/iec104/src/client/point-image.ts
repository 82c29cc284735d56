/**
 * The master's image of the outstation: the last information object received per IOA, kept
 * current by general interrogation (COT 20) and spontaneous data (COT 3). Reads answer from it;
 * subscribers hear every update. The image is cleared when the link goes down, so a value is
 * never served from a connection that no longer exists.
 */
import type { Sample } from '@watershed/model';
import type { Iec104Address } from '../address.js';
import type { InfoObject } from '../codec/elements.js';
import { mapQuality } from '../codec/quality.js';
import { TypeId, baseType } from '../codec/types.js';
import { Iec104Errors } from '../errors.js';

export interface ImageEntry {
  /** The type id as received (time-tagged or not). */
  readonly typeId: number;
  readonly object: InfoObject;
  /** When it arrived, ms epoch; the sample time when the object has no valid time tag. */
  readonly receivedAt: number;
}

export class PointImage {
  readonly #points = new Map<number, ImageEntry>();
  readonly #listeners = new Set<(ioa: number, entry: ImageEntry) => void>();

  get size(): number {
    return this.#points.size;
  }

  get(ioa: number): ImageEntry | undefined {
    return this.#points.get(ioa);
  }

  update(typeId: number, object: InfoObject, receivedAt: number): void {
    const entry: ImageEntry = { typeId, object, receivedAt };
    this.#points.set(object.ioa, entry);
    for (const l of this.#listeners) l(object.ioa, entry);
  }

  clear(): void {
    this.#points.clear();
  }

  listen(fn: (ioa: number, entry: ImageEntry) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}

const FAMILY: Record<number, string> = {
  [TypeId.M_SP_NA_1]: 'SP',
  [TypeId.M_DP_NA_1]: 'DP',
  [TypeId.M_ME_NA_1]: 'ME',
  [TypeId.M_ME_NB_1]: 'ME',
  [TypeId.M_ME_NC_1]: 'ME',
  [TypeId.M_IT_NA_1]: 'IT',
};

/**
 * Converts an image entry to a sample for a tag. The time tag, when present and valid, is the
 * sample time (source time, DESIGN.md). A double point read as bool is true for ON (DPI 2) and
 * false for OFF (1); intermediate (0) and indeterminate (3) have no bool value and are uncertain
 * (IEC 60870-5-101 §7.2.6.2).
 */
export function toSample(entry: ImageEntry, address: Iec104Address, bool: boolean): Sample {
  const o = entry.object;
  const ts = o.time !== undefined && !o.timeInvalid ? o.time : entry.receivedAt;
  const family = FAMILY[baseType(entry.typeId)];
  const wanted = FAMILY[address.typeId];
  if (wanted !== undefined && family !== wanted) {
    return { ts, value: null, quality: 'bad', reason: Iec104Errors.TYPE_MISMATCH.code };
  }
  const q = mapQuality(entry.typeId, o.quality);
  let value: number | boolean | null = o.value;
  if (family === 'DP' && bool) {
    if (o.value === 2 || o.value === 1) value = o.value === 2;
    else {
      const flag = o.value === 0 ? 'IEC104_DPI_INTERMEDIATE' : 'IEC104_DPI_INDETERMINATE';
      return {
        ts,
        value: null,
        quality: q.quality === 'bad' ? 'bad' : 'uncertain',
        reason: q.reason ? `${q.reason},${flag}` : flag,
      };
    }
  }
  return q.reason ? { ts, value, quality: q.quality, reason: q.reason } : { ts, value, quality: q.quality };
}
