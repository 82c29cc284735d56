import { useEffect, useState } from 'react';
import { fetchOverview, fetchOverviewMap } from './overview-api.js';
import { KPI_REFRESH_MS } from './overview-logic.js';
import type { OverviewKpis, OverviewMap } from './overview-types.js';

export interface Loaded<T> {
  value?: T;
  error?: unknown;
}

/**
 * The KPIs, asked again KPI_REFRESH_MS after each answer (never two requests at once, so a slow
 * server is not piled on); the live values beside them come from the one live stream instead.
 */
export function useOverviewKpis(): Loaded<OverviewKpis> {
  const [state, setState] = useState<Loaded<OverviewKpis>>({});
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const value = await fetchOverview(abort.signal);
        setState({ value });
      } catch (error) {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, error }));
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void load(), KPI_REFRESH_MS);
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, []);
  return state;
}

/** The network drawing, loaded once per visit (the browser revalidates it by ETag). */
export function useOverviewMap(): Loaded<OverviewMap> {
  const [state, setState] = useState<Loaded<OverviewMap>>({});
  useEffect(() => {
    const abort = new AbortController();
    fetchOverviewMap(abort.signal).then(
      (value) => setState({ value }),
      (error: unknown) => {
        if (!abort.signal.aborted) setState({ error });
      },
    );
    return () => abort.abort();
  }, []);
  return state;
}
