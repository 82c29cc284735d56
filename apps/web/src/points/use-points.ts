import { useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';
import type { PointWithLatest } from '../api/types.js';
import { useServices } from '../app/services.js';

export interface PointsState {
  /** `loading` only before the first answer; afterwards the last good list stays on screen. */
  status: 'loading' | 'ready' | 'error';
  points: PointWithLatest[];
  error?: string;
}

const RETRY_MS = [2000, 4000, 8000, 15_000, 30_000];

/**
 * Loads the point list, retrying with backoff while the server is unreachable, and again
 * whenever `reloadKey` changes (the live stream came back: the snapshot refills the gap).
 */
export function usePoints(reloadKey: number): PointsState {
  const { api, store } = useServices();
  const [state, setState] = useState<PointsState>({ status: 'loading', points: [] });

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    const load = async (): Promise<void> => {
      try {
        const { items } = await api.points(abort.signal);
        store.seed(items);
        setState({ status: 'ready', points: items });
      } catch (err) {
        if (isAbort(err)) return;
        const message = err instanceof Error ? err.message : String(err);
        setState((prev) => ({
          status: prev.points.length > 0 ? 'ready' : 'error',
          points: prev.points,
          error: message,
        }));
        const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)] ?? 30_000;
        timer = setTimeout(() => void load(), delay);
      }
    };
    void load();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, store, reloadKey]);

  return state;
}
