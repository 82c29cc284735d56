import type { Point } from '@watershed/model';
import type { SampleRow, Store } from '../types.js';

/**
 * One store under test. `open` may be called again after the previous store is closed and
 * must then reach the same data (that is how the suite checks a restart); `cleanup` removes it.
 */
export interface StoreHarness {
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** What each part of the suite works on; `store` is replaced when a test reopens it. */
export interface ContractContext {
  readonly store: Store;
  reopen(): Promise<Store>;
}

/** 2023-11-14T22:13:20Z: on no minute boundary. */
export const T0 = 1_700_000_000_000;

/** 2023-11-14T23:00:00Z: on an hour boundary. */
export const H = 1_700_002_800_000;

export function point(
  site: string,
  node: string,
  group: string,
  tag: string,
  extra: Partial<Point> = {},
): Point {
  return { id: `${site}.${node}.${group}.${tag}`, site, node, group, tag, ...extra };
}

export function good(p: string, ts: number, value: SampleRow['value']): SampleRow {
  return { point: p, ts, value, quality: 'good' };
}
