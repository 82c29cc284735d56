import { useEffect } from 'react';
import { useT } from '../i18n/i18n-context.js';
import { pushSettled, pushStateClass, pushStateText, type PushState } from './config-text.js';
import { gatewayConfigs, type Gateway } from './fleet-api.js';

/** How often a gateway whose ack did not come in time is asked again. */
const FOLLOW_MS = 2_000;

export interface PushRow {
  gateway: Pick<Gateway, 'id' | 'name' | 'site' | 'node'>;
  state: PushState;
}

/**
 * Each target gateway's part of a push, live: pending while the push runs, then applied or
 * rejected with the gateway's reasons. A gateway that did not answer in time (or is offline and
 * gets the retained push later) is followed: its version list is read until the ack recorded
 * on the pushed version says how it ended.
 */
export function PushStatus({
  rows,
  onLate,
}: {
  rows: readonly PushRow[];
  onLate: (id: string, late: { ok: boolean; detail?: string }) => void;
}) {
  const t = useT();
  const waiting = rows.filter((r) => r.state.kind === 'done' && !pushSettled(r.state));
  const key = waiting.map((r) => r.gateway.id).join(',');

  useEffect(() => {
    if (waiting.length === 0) return;
    const abort = new AbortController();
    const timer = setInterval(() => {
      for (const r of waiting) {
        if (r.state.kind !== 'done') continue;
        const version = r.state.result.version;
        gatewayConfigs(r.gateway.id, abort.signal)
          .then((list) => {
            const ack = list.find((c) => c.version === version)?.ack;
            if (ack !== undefined && !abort.signal.aborted) onLate(r.gateway.id, ack);
          })
          .catch(() => undefined); // asked again at the next tick
      }
    }, FOLLOW_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
    // Follows the set of waiting gateways; rows change identity on every render.
  }, [key]);

  if (rows.length === 0) return null;
  return (
    <table className="alarm-table push-status" data-testid="push-status" aria-label={t('fleet.push.status')}>
      <tbody>
        {rows.map((r) => (
          <tr key={r.gateway.id} data-testid="push-row">
            <td>
              {r.gateway.name}{' '}
              <span className="muted mono">
                {r.gateway.site}.{r.gateway.node}
              </span>
            </td>
            <td className={pushStateClass(r.state)} role="status">
              {pushStateText(r.state, t)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
