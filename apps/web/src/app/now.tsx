import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

const NowContext = createContext<number>(Date.now());

/**
 * One clock tick for the whole page (value ages, the moving trend window), instead of a
 * timer per widget. Only components that read `useNow()` re-render on a tick.
 */
export function NowProvider({ intervalMs = 1000, children }: { intervalMs?: number; children: ReactNode }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const handle = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(handle);
  }, [intervalMs]);
  return <NowContext value={now}>{children}</NowContext>;
}

export function useNow(): number {
  return useContext(NowContext);
}
