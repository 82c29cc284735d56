import type { Sample, SampleValue, UplinkMessage } from '@watershed/model';
import type { GroupConfig, TagConfig } from './config.js';
import { EdgeErrors } from './errors.js';

export type ProcessedValues = Pick<UplinkMessage, 'values' | 'quality' | 'errors'>;

interface Reported {
  value: number;
  at: number;
}

/**
 * Turns one poll's raw samples into the uplink's `values`/`quality`/`errors` maps:
 * scaling to engineering units, then deadband against the last value reported, with a
 * maximum-silence heartbeat: a value the deadband holds back is still reported once
 * `maxSilenceS` (the tag's, else its group's) passed since it was last reported, so a flat
 * line and a dead gateway look different in the cloud.
 * A bad sample is always reported (value null plus its error code), so a fault is never
 * hidden by the deadband.
 */
export class TagProcessor {
  readonly #tags: readonly TagConfig[];
  /** Per tag, ms; undefined = no heartbeat. */
  readonly #maxSilenceMs: readonly (number | undefined)[];
  readonly #lastReported = new Map<string, Reported>();

  constructor(tags: readonly TagConfig[], group: Pick<GroupConfig, 'maxSilenceS'> = {}) {
    this.#tags = tags;
    this.#maxSilenceMs = tags.map((t) => {
      const s = t.maxSilenceS ?? group.maxSilenceS;
      return s === undefined ? undefined : s * 1000;
    });
  }

  /**
   * `ts` is the poll's time (its scheduled tick, from the runtime's clock): silence is measured
   * on it, not on the device's timestamps, which may be missing or off.
   */
  process(samples: readonly Sample[], ts: number): ProcessedValues {
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
        const silence = this.#maxSilenceMs[i];
        const heartbeatDue = last !== undefined && silence !== undefined && ts - last.at >= silence;
        if (last !== undefined && Math.abs(v - last.value) < tag.deadband && !heartbeatDue) return;
        this.#lastReported.set(tag.name, { value: v, at: ts });
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

/**
 * Raw device value → engineering value: raw × scale + offset (numbers only). A scale that is
 * the reciprocal of an integer (0.1, 0.01, 0.5 …) divides instead, so register 314 at scale 0.1
 * reads 31.4 and not 31.400000000000002: 0.1 has no exact binary form, 10 has.
 */
export function scale(tag: Pick<TagConfig, 'scale' | 'offset'>, value: SampleValue): SampleValue {
  if (typeof value !== 'number' || (tag.scale === undefined && tag.offset === undefined)) return value;
  const s = tag.scale ?? 1;
  const inverse = Math.round(1 / s);
  const scaled = s !== 0 && Math.abs(1 / s - inverse) < 1e-9 ? value / inverse : value * s;
  return scaled + (tag.offset ?? 0);
}
