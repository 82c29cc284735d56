import { useEffect, useRef, useState } from 'react';
import { isAbort } from '../api/client.js';
import { fetchSeries } from './explorer-api.js';
import type { ExplorerSeries } from './explorer-data.js';
import type { Resolution } from './explorer-state.js';

export interface ExplorerData {
  /** Fetched series, in the order of `ids`; a point still loading or failed is absent. */
  series: ExplorerSeries[];
  loading: boolean;
  /** Points whose history could not be had, with the failure. */
  errors: ReadonlyMap<string, unknown>;
}

/**
 * The history of the selected points over one window at one resolution. Adding a point fetches
 * only that point; a new window, resolution or revision fetches them all again. Requests for a
 * question no longer asked are aborted, so an old answer never overwrites a newer one.
 */
export function useExplorerData(
  ids: readonly string[],
  span: { from: number; to: number },
  resolution: Resolution,
  /** Bumped by Refresh: asks again even when the window is fixed (a custom range). */
  revision = 0,
): ExplorerData {
  const key = ids.join(',');
  const question = `${span.from}|${span.to}|${resolution}|${revision}`;
  const cache = useRef<{ question: string; series: Map<string, ExplorerSeries> }>({
    question,
    series: new Map(),
  });
  const [state, setState] = useState<{ loading: boolean; errors: Map<string, unknown>; revision: number }>({
    loading: false,
    errors: new Map(),
    revision: 0,
  });

  useEffect(() => {
    const wanted = key === '' ? [] : key.split(',');
    if (cache.current.question !== question) cache.current = { question, series: new Map() };
    const { series } = cache.current;
    for (const id of [...series.keys()]) if (!wanted.includes(id)) series.delete(id);
    const missing = wanted.filter((id) => !series.has(id));
    if (missing.length === 0) {
      setState((s) => ({ loading: false, errors: new Map(), revision: s.revision + 1 }));
      return;
    }
    const abort = new AbortController();
    const [from = 0, to = 0] = question.split('|').map(Number);
    const request = {
      from,
      to,
      resolution,
      utcOffsetMin: -new Date(to).getTimezoneOffset(),
    };
    setState((s) => ({ ...s, loading: true }));
    const load = async (): Promise<void> => {
      const errors = new Map<string, unknown>();
      await Promise.all(
        missing.map(async (id) => {
          try {
            series.set(id, await fetchSeries(id, request, abort.signal));
          } catch (err) {
            if (!isAbort(err)) errors.set(id, err);
          }
        }),
      );
      if (abort.signal.aborted) return;
      setState((s) => ({ loading: false, errors, revision: s.revision + 1 }));
    };
    void load();
    return () => abort.abort();
  }, [key, question, resolution]);

  return {
    series: ids.flatMap((id) => {
      const s = cache.current.series.get(id);
      return s !== undefined && cache.current.question === question ? [s] : [];
    }),
    loading: state.loading,
    errors: state.errors,
  };
}
