import { formatAge, formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { EdgeReport } from './fleet-api.js';

/**
 * What the gateway's last report (mgmt/metrics) says of each device and group: link state and
 * since when, request/failure/timeout/reconnect counts and round trip; each group's polls,
 * polls with bad tags, overruns and start lateness.
 */
export function DeviceStats({ report, now }: { report: EdgeReport | undefined; now: number }) {
  const { t, locale } = useI18n();
  if (report === undefined) return <p className="muted">{t('fleet.links.noReport')}</p>;
  const devices = Object.entries(report.devices).sort(([a], [b]) => a.localeCompare(b));
  const groups = Object.entries(report.groups ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const n = (v: number | undefined) => (v === undefined ? '—' : String(v));
  const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} ms`);
  return (
    <div className="device-stats" data-testid="device-stats">
      <h4>{t('fleet.stats.title', { time: formatDateTime(report.ts, locale) })}</h4>
      <table className="alarm-table">
        <thead>
          <tr>
            <th>{t('fleet.stats.device')}</th>
            <th>{t('fleet.stats.link')}</th>
            <th>{t('fleet.stats.requests')}</th>
            <th>{t('fleet.stats.failures')}</th>
            <th>{t('fleet.stats.timeouts')}</th>
            <th>{t('fleet.stats.reconnects')}</th>
            <th>{t('fleet.stats.rtt')}</th>
            <th>{t('fleet.stats.lastError')}</th>
          </tr>
        </thead>
        <tbody>
          {devices.map(([name, d]) => (
            <tr key={name} data-testid="device-row">
              <td className="mono">
                {name} <span className="muted">{d.driver}</span>
              </td>
              <td className={d.state === 'connected' ? 'ack-ok' : 'links-down'}>
                {t(`fleet.linkState.${d.state}`)}{' '}
                <span className="muted">{t('fleet.stats.since', { age: formatAge(now - d.since, t) })}</span>
              </td>
              <td className="num">{n(d.requests)}</td>
              <td className="num">{n(d.failures)}</td>
              <td className="num">{n(d.timeouts)}</td>
              <td className="num">{n(d.reconnects)}</td>
              <td className="num">{ms(d.lastRttMs)}</td>
              <td>{d.lastError ? `${d.lastError.code}: ${d.lastError.message}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length > 0 ? (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('fleet.stats.group')}</th>
              <th>{t('fleet.stats.interval')}</th>
              <th>{t('fleet.stats.polls')}</th>
              <th>{t('fleet.stats.badPolls')}</th>
              <th>{t('fleet.stats.overruns')}</th>
              <th>{t('fleet.stats.lateness')}</th>
              <th>{t('fleet.stats.duration')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map(([name, g]) => (
              <tr key={name}>
                <td className="mono">
                  {g.device}.{name}
                </td>
                <td className="num">{ms(g.intervalMs)}</td>
                <td className="num">{g.polls}</td>
                <td className="num">{g.errors}</td>
                <td className="num">{g.overruns}</td>
                <td className="num">
                  {ms(g.latenessP50Ms)} / {ms(g.latenessP99Ms)}
                </td>
                <td className="num">{ms(g.lastDurationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
