import { useEffect, useState } from 'react';
import { ApiError, isAbort } from '../api/client.js';
import type { HealthResponse } from '../api/types.js';
import { useServices } from '../app/services.js';

export interface HealthState {
  health: HealthResponse | undefined;
  /** Set when the last check failed to get an answer at all. */
  error: string | undefined;
  /** The last check failed because the server could not be reached (not because it answered badly). */
  unreachable: boolean;
  checkedAt: number | undefined;
}

/**
 * Polls `/healthz` — the one poll the console makes; health is a state to sample, not a stream.
 * Re-checks at once when `recheckKey` changes (the live stream dropped or came back).
 */
export function useHealth(intervalMs: number, recheckKey: string): HealthState {
  const { api } = useServices();
  const [state, setState] = useState<HealthState>({
    health: undefined,
    error: undefined,
    unreachable: false,
    checkedAt: undefined,
  });

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async (): Promise<void> => {
      try {
        const health = await api.health(abort.signal);
        setState({ health, error: undefined, unreachable: false, checkedAt: Date.now() });
      } catch (err) {
        if (isAbort(err)) return;
        setState((prev) => ({
          ...prev,
          error: err instanceof Error ? err.message : String(err),
          unreachable: err instanceof ApiError && err.unreachable,
          checkedAt: Date.now(),
        }));
      }
      if (!abort.signal.aborted) timer = setTimeout(() => void check(), intervalMs);
    };
    void check();
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [api, intervalMs, recheckKey]);

  return state;
}
