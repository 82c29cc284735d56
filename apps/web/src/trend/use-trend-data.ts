import { useEffect, useRef, useState } from 'react';
import { isAbort } from '../api/client.js';
import { useServices } from '../app/services.js';
import { SeriesBuffer } from './series-buffer.js';

/** Points asked of `/series` per series (`maxPoints`); the server downsamples long ranges to this. */
export const HISTORY_LIMIT = 2000;
/** Samples kept per series: history plus live, at the density of the history. */
export const SERIES_CAP = 2 * HISTORY_LIMIT;

export interface TrendData {
  buffers: ReadonlyMap<string, SeriesBuffer>;
  loading: boolean;
  /** Some history could not be had: how many of how many points, and the first reason (the server's words). */
  error: { failed: number; of: number; reason: string } | undefined;
  /** Goes up whenever history arrives, so the chart redraws at once rather than on the next tick. */
  revision: number;
}

/**
 * History for the selected points over the selected range, kept current with samples from
 * the live stream. Live samples that arrive while history loads are kept and merged, so the
 * line has no gap at the seam. Fetches history for points added to the selection, and for all
 * of them again when the range or `resyncKey` change.
 */
export function useTrendData(ids: readonly string[], rangeMs: number, resyncKey: number): TrendData {
  const { api, stream } = useServices();
  const key = ids.join(',');
  const cache = useRef<Cache>({ rangeMs, resyncKey, buffers: new Map(), loaded: new Set() });
  const [state, setState] = useState<Omit<TrendData, 'buffers'>>({
    loading: false,
    error: undefined,
    revision: 0,
  });

  useEffect(() => {
    const pointIds = key === '' ? [] : key.split(',');
    // Adding or removing a point keeps the others' history; a new range or a resync starts over.
    const prev = cache.current;
    const fresh = prev.rangeMs !== rangeMs || prev.resyncKey !== resyncKey;
    const buffers = new Map(
      pointIds.map((id) => [id, (!fresh && prev.buffers.get(id)) || new SeriesBuffer(SERIES_CAP)]),
    );
    const loaded = new Set(fresh ? [] : pointIds.filter((id) => prev.loaded.has(id)));
    cache.current = { rangeMs, resyncKey, buffers, loaded };

    // Live samples no denser than the history, so a 24 h trend keeps its whole day.
    const minSpacing = Math.floor(rangeMs / HISTORY_LIMIT);
    const unsubscribe = stream.onSamples((batch) => {
      for (const s of batch) {
        buffers.get(s.point)?.append({ ts: s.ts, value: s.value, quality: s.quality }, minSpacing);
      }
    });
    const missing = pointIds.filter((id) => !loaded.has(id));
    if (missing.length === 0) {
      setState((p) => ({ loading: false, error: undefined, revision: p.revision + 1 }));
      return unsubscribe;
    }

    const abort = new AbortController();
    setState((p) => ({ ...p, loading: true, error: undefined }));
    const to = Date.now();
    const from = to - rangeMs;
    const load = async (): Promise<void> => {
      const results = await Promise.allSettled(
        missing.map(async (id) => {
          const samples = await api.series(id, { from, to, maxPoints: HISTORY_LIMIT }, abort.signal);
          buffers.get(id)?.mergeHistory(samples);
          loaded.add(id);
        }),
      );
      if (abort.signal.aborted) return;
      const failed = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected' && !isAbort(r.reason),
      );
      const error =
        failed.length === 0
          ? undefined
          : { failed: failed.length, of: missing.length, reason: reasonText(failed[0]?.reason) };
      setState((p) => ({ loading: false, error, revision: p.revision + 1 }));
    };
    void load();
    return () => {
      abort.abort();
      unsubscribe();
    };
  }, [api, stream, key, rangeMs, resyncKey]);

  return { buffers: cache.current.buffers, ...state };
}

interface Cache {
  rangeMs: number;
  resyncKey: number;
  buffers: Map<string, SeriesBuffer>;
  /** Points whose history has been merged into their buffer. */
  loaded: Set<string>;
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
