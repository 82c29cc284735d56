import type { Sample, SampleValue, UplinkMessage } from '@watershed/model';
import type { TagConfig } from './config.js';
import { EdgeErrors } from './errors.js';

export type ProcessedValues = Pick<UplinkMessage, 'values' | 'quality' | 'errors'>;

/**
 * Turns one poll's raw samples into the uplink's `values`/`quality`/`errors` maps:
 * scaling to engineering units, then deadband against the last value reported.
 * A bad sample is always reported (value null plus its error code), so a fault is never
 * hidden by the deadband.
 */
export class TagProcessor {
  readonly #tags: readonly TagConfig[];
  readonly #lastReported = new Map<string, number>();

  constructor(tags: readonly TagConfig[]) {
    this.#tags = tags;
  }

  process(samples: readonly Sample[]): ProcessedValues {
    const values: Record<string, SampleValue> = {};
    let quality: Record<string, 'uncertain' | 'bad'> | undefined;
    let errors: Record<string, string> | undefined;
    this.#tags.forEach((tag, i) => {
      const s = samples[i];
      if (!s || s.quality === 'bad') {
        values[tag.name] = null;
        (quality ??= {})[tag.name] = 'bad';
        (errors ??= {})[tag.name] = s?.reason ?? EdgeErrors.READ_FAILED.code;
        this.#lastReported.delete(tag.name);
        return;
      }
      const v = scale(tag, s.value);
      if (typeof v === 'number' && tag.deadband !== undefined && s.quality === 'good') {
        const last = this.#lastReported.get(tag.name);
        if (last !== undefined && Math.abs(v - last) < tag.deadband) return;
        this.#lastReported.set(tag.name, v);
      }
      values[tag.name] = v;
      if (s.quality === 'uncertain') {
        (quality ??= {})[tag.name] = 'uncertain';
        if (s.reason) (errors ??= {})[tag.name] = s.reason;
      }
    });
    const out: ProcessedValues = { values };
    if (quality) out.quality = quality;
    if (errors) out.errors = errors;
    return out;
  }
}

function scale(tag: TagConfig, value: SampleValue): SampleValue {
  if (typeof value !== 'number' || (tag.scale === undefined && tag.offset === undefined)) return value;
  return value * (tag.scale ?? 1) + (tag.offset ?? 0);
}
