import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Sample } from '@watershed/model';
import { useServices } from '../app/services.js';
import type { LinkStatus } from './live-stream.js';

/** The state of the one live connection. */
export function useLinkStatus(): LinkStatus {
  const { stream } = useServices();
  return useSyncExternalStore(
    (onChange) => stream.onStatus(onChange),
    () => stream.status,
  );
}

/** The latest sample of one point; re-renders only when that point's sample changes. */
export function useLatest(pointId: string): Sample | undefined {
  const { store } = useServices();
  const get = useCallback(() => store.latest(pointId), [store, pointId]);
  return useSyncExternalStore(store.subscribe, get);
}

/** A counter that goes up each time the stream comes back after a break (data may be missing). */
export function useResyncCount(): number {
  const { stream } = useServices();
  const [count, setCount] = useState(0);
  useEffect(() => stream.onResync(() => setCount((c) => c + 1)), [stream]);
  return count;
}
