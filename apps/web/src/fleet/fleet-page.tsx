import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { formatDateTime } from '../format/format.js';
import { GatewayPanel } from './gateway-panel.js';
import { backlogText, connectivity, lastSeenText, linkSummary, versionState } from './fleet-logic.js';
import { RegisterGateway } from './register-gateway.js';
import { useFleet, type FleetRow } from './use-fleet.js';
import '../alarms/alarms.css';
import './fleet.css';

const CONNECTIVITY_TEXT = {
  online: 'Online',
  stale: 'Stale',
  offline: 'Offline',
  unknown: 'Never seen',
} as const;

/** The edge gateways: their link, config version, backlog and devices; one opened in detail. */
export function FleetPage() {
  const fleet = useFleet();
  const [selected, setSelected] = useState<string>();
  const [registering, setRegistering] = useState(false);
  const now = Date.now();
  const rows = fleet.data ?? [];
  const open = rows.find((r) => r.gateway.id === selected);

  return (
    <main className="fleet-page" data-testid="fleet-page">
      <div className="fleet-head">
        <h2>Fleet</h2>
        <span className="muted">{rows.length} gateways</span>
        <button type="button" onClick={() => setRegistering((r) => !r)}>
          Register gateway…
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
          {actionErrorText(fleet.error, 'load the gateways')}
        </p>
      ) : null}
      {fleet.loading && fleet.data === undefined ? <p className="muted">Loading the gateways…</p> : null}
      {fleet.data !== undefined && rows.length === 0 ? (
        <p className="alarm-empty">No gateways registered yet.</p>
      ) : null}
      {rows.length > 0 ? (
        <table className="alarm-table fleet-table">
          <thead>
            <tr>
              <th>Site / node</th>
              <th>Name</th>
              <th>Link</th>
              <th>Config</th>
              <th>Backlog</th>
              <th>Devices</th>
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
  const { gateway, detail, configs } = row;
  const conn = connectivity(gateway.status);
  const version = versionState(gateway.status.configVersion, configs);
  const report = detail?.status.report;
  const links = linkSummary(report);
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
        <span className={`conn conn-${conn}`}>{CONNECTIVITY_TEXT[conn]}</span>{' '}
        <span
          className="muted"
          title={gateway.status.lastSeen ? formatDateTime(gateway.status.lastSeen) : undefined}
        >
          {lastSeenText(gateway.status, now)}
        </span>
      </td>
      <td className={`ver ver-${version.kind}`}>{version.text}</td>
      <td>{backlogText(report, now)}</td>
      <td className={links.down.length > 0 ? 'links-down' : undefined}>{links.text}</td>
    </tr>
  );
}
