import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from '../api/client.js';
import { listAudit, type AuditEntry, type AuditFilter } from './audit-api.js';

export interface AuditList {
  entries: AuditEntry[];
  /** More entries match than are loaded. */
  more: boolean;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
}

/**
 * The entries matching `filter`, a page at a time, newest first. A new filter starts over and
 * aborts whatever was still loading for the old one; "load more" follows the API's cursor, so
 * entries recorded meanwhile never shift or repeat a page.
 */
export function useAudit(filter: AuditFilter): AuditList {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const inflight = useRef<AbortController | undefined>(undefined);
  const key = JSON.stringify(filter);

  const load = useCallback(
    async (cursor: string | undefined): Promise<void> => {
      inflight.current?.abort();
      const abort = new AbortController();
      inflight.current = abort;
      setLoading(true);
      setError(undefined);
      try {
        const page = await listAudit(JSON.parse(key) as AuditFilter, cursor, abort.signal);
        if (abort.signal.aborted) return;
        setEntries((prev) => (cursor === undefined ? page.entries : [...prev, ...page.entries]));
        setNext(page.next);
      } catch (err) {
        if (!isAbort(err) && !abort.signal.aborted) setError(err);
      } finally {
        if (!abort.signal.aborted) setLoading(false);
      }
    },
    [key],
  );

  useEffect(() => {
    setEntries([]);
    setNext(undefined);
    void load(undefined);
    return () => inflight.current?.abort();
  }, [load, generation]);

  return {
    entries,
    more: next !== undefined,
    loading,
    error,
    loadMore: () => {
      if (next !== undefined && !loading) void load(next);
    },
    reload: () => setGeneration((g) => g + 1),
  };
}
