import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import { GatewayPanel } from './gateway-panel.js';
import {
  backlogText,
  connectivity,
  connectivityText,
  lastSeenText,
  linkSummary,
  versionState,
} from './fleet-logic.js';
import { RegisterGateway } from './register-gateway.js';
import { useFleet, type FleetRow } from './use-fleet.js';
import '../alarms/alarms.css';
import './fleet.css';

/** The edge gateways: their link, config version, backlog and devices; one opened in detail. */
export function FleetPage() {
  const { t } = useI18n();
  const fleet = useFleet();
  const [selected, setSelected] = useState<string>();
  const [registering, setRegistering] = useState(false);
  const now = Date.now();
  const rows = fleet.data ?? [];
  const open = rows.find((r) => r.gateway.id === selected);

  return (
    <main className="fleet-page" data-testid="fleet-page">
      <div className="fleet-head">
        <h2>{t('fleet.title')}</h2>
        <span className="muted">{t('fleet.count', { count: rows.length })}</span>
        <button type="button" onClick={() => setRegistering((r) => !r)}>
          {t('fleet.register')}
        </button>
      </div>
      {registering ? (
        <RegisterGateway
          onDone={() => {
            setRegistering(false);
            fleet.reload();
          }}
          onRegistered={fleet.reload}
        />
      ) : null}
      {fleet.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {actionErrorText(fleet.error, t('fleet.do.load'), undefined, t)}
        </p>
      ) : null}
      {fleet.loading && fleet.data === undefined ? <p className="muted">{t('fleet.loading')}</p> : null}
      {fleet.data !== undefined && rows.length === 0 ? (
        <p className="alarm-empty">{t('fleet.empty')}</p>
      ) : null}
      {rows.length > 0 ? (
        <table className="alarm-table fleet-table">
          <thead>
            <tr>
              <th>{t('fleet.col.siteNode')}</th>
              <th>{t('fleet.col.name')}</th>
              <th>{t('fleet.col.link')}</th>
              <th>{t('fleet.col.config')}</th>
              <th>{t('fleet.col.backlog')}</th>
              <th>{t('fleet.col.devices')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <GatewayRowView
                key={r.gateway.id}
                row={r}
                now={now}
                selected={r.gateway.id === selected}
                onSelect={() => setSelected(r.gateway.id === selected ? undefined : r.gateway.id)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {open !== undefined ? (
        <GatewayPanel
          key={open.gateway.id}
          row={open}
          fleet={rows.map((r) => r.gateway)}
          onChanged={fleet.reload}
          onClose={() => setSelected(undefined)}
        />
      ) : null}
    </main>
  );
}

function GatewayRowView({
  row,
  now,
  selected,
  onSelect,
}: {
  row: FleetRow;
  now: number;
  selected: boolean;
  onSelect: () => void;
}) {
  const { t, locale } = useI18n();
  const { gateway, detail, configs } = row;
  const conn = connectivity(gateway.status);
  const version = versionState(gateway.status.configVersion, configs, t);
  const report = detail?.status.report;
  const links = linkSummary(report, t);
  return (
    <tr className={`gw-row${selected ? ' is-selected' : ''}`} onClick={onSelect} aria-selected={selected}>
      <td className="mono">
        <button
          type="button"
          className="link"
          onClick={(e) => {
            // The row selects too: one toggle per click, not two.
            e.stopPropagation();
            onSelect();
          }}
        >
          {gateway.site}.{gateway.node}
        </button>
      </td>
      <td>{gateway.name}</td>
      <td>
        <span className={`conn conn-${conn}`}>{connectivityText(conn, t)}</span>{' '}
        <span
          className="muted"
          title={gateway.status.lastSeen ? formatDateTime(gateway.status.lastSeen, locale) : undefined}
        >
          {lastSeenText(gateway.status, now, t)}
        </span>
      </td>
      <td className={`ver ver-${version.kind}`}>{version.text}</td>
      <td>{backlogText(report, now, t)}</td>
      <td className={links.down.length > 0 ? 'links-down' : undefined}>{links.text}</td>
    </tr>
  );
}
