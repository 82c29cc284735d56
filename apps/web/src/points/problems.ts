import type { Sample } from '@watershed/model';
import { STALE_AFTER_MS } from '../format/format.js';

/** Why a point needs an operator's eye, or undefined when it does not. */
export type Problem = 'no-value' | 'bad' | 'uncertain' | 'stale';

export function problemOf(sample: Sample | undefined, now: number): Problem | undefined {
  if (sample === undefined) return 'no-value';
  if (sample.quality === 'bad') return 'bad';
  if (sample.quality === 'uncertain') return 'uncertain';
  if (now - sample.ts > STALE_AFTER_MS) return 'stale';
  return undefined;
}
