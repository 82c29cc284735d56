import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ConfigEditor } from './config-editor.js';
import { ConfigVersions } from './config-versions.js';
import { DeviceStats } from './device-stats.js';
import { gatewayLogs, type Gateway } from './fleet-api.js';
import { TagWrite } from './tag-write.js';
import type { FleetRow } from './use-fleet.js';
import { usePoll } from './use-poll.js';

const LOG_REFRESH_MS = 15_000;

/**
 * One gateway opened: its devices' links and poll statistics, its config versions (diff, roll
 * back), the config editor (push, tags CSV), a tag write and the log tail.
 */
export function GatewayPanel({
  row,
  fleet,
  onChanged,
  onClose,
}: {
  row: FleetRow;
  /** Every gateway listed: the editor's push targets. */
  fleet: readonly Gateway[];
  onChanged: () => void;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const { gateway, detail, configs } = row;
  const logs = usePoll((signal) => gatewayLogs(gateway.id, signal), LOG_REFRESH_MS, gateway.id);
  const ack = detail?.status.lastAck;

  return (
    <section
      className="fleet-card gateway-panel"
      aria-label={t('fleet.gateway.label', { name: gateway.name })}
      data-testid="gateway-panel"
    >
      <div className="fleet-head">
        <h3>
          {gateway.name}{' '}
          <span className="muted mono">
            {gateway.site}.{gateway.node}
          </span>
        </h3>
        <button type="button" onClick={onClose}>
          {t('fleet.close')}
        </button>
      </div>
      {ack !== undefined ? (
        <p className={ack.result === 'applied' ? 'muted' : 'alarm-error'}>
          {t('fleet.ack.last', { version: String(ack.version), result: t(`fleet.result.${ack.result}`) })}
          {ack.code ? ` (${ack.code})` : ''}
          {t('fleet.ack.running', { running: String(ack.running), time: formatDateTime(ack.ts, locale) })}
          {ack.errors?.length
            ? ` — ${ack.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`
            : ''}
        </p>
      ) : null}
      <DeviceStats report={detail?.status.report} now={Date.now()} />
      <div className="gateway-columns">
        <ConfigVersions
          gatewayId={gateway.id}
          configs={configs}
          running={gateway.status.configVersion}
          onChanged={onChanged}
        />
        <TagWrite gateway={gateway} />
      </div>
      <ConfigEditor gateway={gateway} configs={configs} fleet={fleet} onPushed={onChanged} />
      <h4>{t('fleet.logs.title')}</h4>
      {logs.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(logs.error, t('fleet.do.logs'), undefined, t)}</p>
      ) : null}
      {logs.data !== undefined && logs.data.lines.length === 0 ? (
        <p className="muted">{t('fleet.logs.empty')}</p>
      ) : null}
      {logs.data !== undefined && logs.data.lines.length > 0 ? (
        <pre className="log-tail" data-testid="log-tail">
          {logs.data.dropped > 0 ? `${t('fleet.logs.dropped', { count: logs.data.dropped })}\n` : ''}
          {logs.data.lines.map((l, i) => (
            <span key={i} className={`log-${l.level}`}>
              {formatDateTime(l.ts, locale)} {l.level.toUpperCase().padEnd(5)} {l.msg}
              {l.context
                ? ` ${Object.entries(l.context)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}`
                : ''}
              {'\n'}
            </span>
          ))}
        </pre>
      ) : null}
    </section>
  );
}
