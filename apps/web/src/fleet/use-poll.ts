import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';

export interface Polled<T> {
  data: T | undefined;
  /** The last load's failure; the previous data stays on screen beside it. */
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load` now, again every `everyMs`, and whenever `key` changes or `reload` is called. A
 * load still running when the component unmounts or the key changes is aborted, so an answer to
 * an old question never overwrites the current one.
 */
export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  everyMs: number,
  key: string,
): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      try {
        const value = await load(abort.signal);
        if (abort.signal.aborted) return;
        setData(value);
        setError(undefined);
      } catch (err) {
        if (isAbort(err) || abort.signal.aborted) return;
        setError(err);
      } finally {
        if (!abort.signal.aborted) {
          setLoading(false);
          timer = setTimeout(() => void tick(), everyMs);
        }
      }
    };
    setLoading(true);
    void tick();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
    // `load` is read afresh on each key: callers pass an inline closure over the key's inputs.
  }, [key, everyMs, generation]);

  return { data, error, loading, reload };
}
