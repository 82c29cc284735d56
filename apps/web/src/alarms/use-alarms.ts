import { useCallback, useEffect, useState } from 'react';
import { isAbort } from '../api/client.js';
import { applyChange, type Alarm, type Condition } from './alarm-logic.js';
import { ALARM_LIVE_URL, alarmConditions, listAlarms } from './alarms-api.js';

/** A full reload even while the stream is open: it repairs anything a dropped event lost. */
const REFRESH_MS = 30_000;

export interface AlarmsState {
  alarms: Alarm[];
  conditions: ReadonlyMap<string, Condition>;
  /** When the list was last known to be current (a load, or a live change). */
  updatedAt: number | undefined;
  error: string | undefined;
  live: boolean;
  loading: boolean;
  /** Puts an alarm the server just answered with into the list at once. */
  replace: (a: Alarm) => void;
  reload: () => void;
}

/**
 * The active alarm list: loaded once, kept current by the alarm change stream
 * (`/api/v1/alarms/live`), and reloaded every 30 s and whenever the stream reopens, since
 * changes made while it was down never arrive on it.
 */
export function useAlarms(): AlarmsState {
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [conditions, setConditions] = useState<ReadonlyMap<string, Condition>>(new Map());
  const [updatedAt, setUpdatedAt] = useState<number>();
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    const load = async (): Promise<void> => {
      try {
        const [list, conds] = await Promise.all([
          listAlarms(abort.signal),
          // The limits are a nicety: a role that may not read the rules still sees its alarms.
          alarmConditions(abort.signal).catch((err: unknown) => {
            if (isAbort(err)) throw err;
            return undefined;
          }),
        ]);
        setAlarms(list);
        if (conds) setConditions(conds);
        setUpdatedAt(Date.now());
        setError(undefined);
      } catch (err) {
        if (isAbort(err)) return;
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (!abort.signal.aborted) setLoading(false);
      }
    };
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => {
      abort.abort();
      window.clearInterval(timer);
    };
  }, [generation]);

  useEffect(() => {
    const source = new EventSource(ALARM_LIVE_URL);
    let broken = false;
    source.onopen = () => {
      setLive(true);
      if (broken) reload();
      broken = false;
    };
    source.onerror = () => {
      setLive(false);
      broken = true;
    };
    source.addEventListener('alarm', (ev: MessageEvent<string>) => {
      try {
        const { alarm } = JSON.parse(ev.data) as { alarm: Alarm };
        setAlarms((list) => applyChange(list, alarm));
        setUpdatedAt(Date.now());
      } catch {
        reload();
      }
    });
    return () => source.close();
  }, [reload]);

  const replace = useCallback((a: Alarm) => {
    setAlarms((list) => applyChange(list, a));
    setUpdatedAt(Date.now());
  }, []);

  return { alarms, conditions, updatedAt, error, live, loading, replace, reload };
}
