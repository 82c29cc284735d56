import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useNow } from '../app/now.js';
import { useServices } from '../app/services.js';
import { problemOf } from './problems.js';

/**
 * The ids (of those given) whose latest value is missing, bad, uncertain or stale. The
 * snapshot is a joined string, so React re-renders only when the set actually changes.
 */
export function useProblemIds(ids: readonly string[]): ReadonlySet<string> {
  const { store } = useServices();
  const now = useNow();
  const get = useCallback(
    () => ids.filter((id) => problemOf(store.latest(id), now) !== undefined).join('\n'),
    [store, ids, now],
  );
  const key = useSyncExternalStore(store.subscribe, get);
  return useMemo(() => new Set(key === '' ? [] : key.split('\n')), [key]);
}
