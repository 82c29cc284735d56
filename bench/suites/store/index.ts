import type { BenchReport, BenchResult } from '../../lib/report.js';
import { embeddedPart } from './embedded.js';
import { postgresPart } from './postgres.js';

export type StoreAdapter = 'embedded' | 'postgres';
export const STORE_ADAPTERS: readonly StoreAdapter[] = ['embedded', 'postgres'];

export interface StoreSuiteOptions {
  /** Scales the row counts; 1 keeps each part to seconds on two cores. */
  scale: number;
  adapters: readonly StoreAdapter[];
  machine: string;
  log: (line: string) => void;
}

/**
 * The store suite (issue 5): embedded ingest, the PostgreSQL sink against plain COPY, latest of
 * 30,000 points, a day of 1-s samples downsampled to 1,000 points, a year's trend from the hourly
 * rollups, and bytes stored per raw sample. The unsuffixed reads are the embedded adapter's (the
 * zero-set-up default); `-pg` ones the PostgreSQL adapter's.
 */
export async function runStoreSuite(opts: StoreSuiteOptions): Promise<BenchReport> {
  const results: BenchResult[] = [];
  const part = { scale: opts.scale, log: opts.log };
  if (opts.adapters.includes('embedded')) results.push(...(await embeddedPart(part)));
  if (opts.adapters.includes('postgres')) results.push(...(await postgresPart(part)));
  const order = [
    'embedded-ingest',
    'pg-sink',
    'latest-30k',
    'series-1d',
    'trend-1d-raw',
    'trend-1d',
    'trend-1y',
    'bytes-per-sample',
  ];
  const rank = (name: string): number => {
    const base = name.replace(/-pg(-db)?$/, '');
    const i = order.indexOf(base);
    return (i < 0 ? order.length : i) * 3 + (name === base ? 0 : name.endsWith('-db') ? 2 : 1);
  };
  results.sort((a, b) => rank(a.name) - rank(b.name));
  return { bench: 'store', machine: opts.machine, results };
}
