import { useEffect, useRef, useState } from 'react';
import { isAbort } from '../api/client.js';
import { useServices } from '../app/services.js';
import { SeriesBuffer } from './series-buffer.js';

/** Samples asked of `/series` per point; the server downsamples long ranges to this. */
export const HISTORY_LIMIT = 2000;
/** Samples kept per series: history plus live, at the density of the history. */
export const SERIES_CAP = 2 * HISTORY_LIMIT;

export interface TrendData {
  buffers: ReadonlyMap<string, SeriesBuffer>;
  loading: boolean;
  error: string | undefined;
  /** Goes up whenever history arrives, so the chart redraws at once rather than on the next tick. */
  revision: number;
}

/**
 * History for the selected points over the selected range, kept current with samples from
 * the live stream. Live samples that arrive while history loads are kept and merged, so the
 * line has no gap at the seam. Refetches when the selection, the range or `resyncKey` change.
 */
export function useTrendData(ids: readonly string[], rangeMs: number, resyncKey: number): TrendData {
  const { api, stream } = useServices();
  const key = ids.join(',');
  const buffersRef = useRef<Map<string, SeriesBuffer>>(new Map());
  const [state, setState] = useState<Omit<TrendData, 'buffers'>>({
    loading: false,
    error: undefined,
    revision: 0,
  });

  useEffect(() => {
    const pointIds = key === '' ? [] : key.split(',');
    const buffers = new Map(pointIds.map((id) => [id, new SeriesBuffer(SERIES_CAP)]));
    buffersRef.current = buffers;
    // Live samples no denser than the history, so a 24 h trend keeps its whole day.
    const minSpacing = Math.floor(rangeMs / HISTORY_LIMIT);
    const unsubscribe = stream.onSamples((batch) => {
      for (const s of batch) {
        const buf = buffers.get(s.point);
        if (buf === undefined) continue;
        buf.append({ ts: s.ts, value: s.value, quality: s.quality }, minSpacing);
      }
    });
    if (pointIds.length === 0) {
      setState((prev) => ({ loading: false, error: undefined, revision: prev.revision + 1 }));
      return unsubscribe;
    }

    const abort = new AbortController();
    setState((prev) => ({ ...prev, loading: true, error: undefined }));
    const to = Date.now();
    const from = to - rangeMs;
    const load = async (): Promise<void> => {
      const results = await Promise.allSettled(
        pointIds.map(async (id) => {
          const res = await api.series(id, { from, to, limit: HISTORY_LIMIT }, abort.signal);
          buffers.get(id)?.mergeHistory(res.samples);
        }),
      );
      if (abort.signal.aborted) return;
      const failed = results.filter(
        (r): r is PromiseRejectedResult => r.status === 'rejected' && !isAbort(r.reason),
      );
      const error =
        failed.length === 0
          ? undefined
          : `History unavailable for ${failed.length} of ${pointIds.length} point(s): ${reasonText(failed[0]?.reason)}`;
      setState((prev) => ({ loading: false, error, revision: prev.revision + 1 }));
    };
    void load();
    return () => {
      abort.abort();
      unsubscribe();
    };
  }, [api, stream, key, rangeMs, resyncKey]);

  return { buffers: buffersRef.current, ...state };
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
