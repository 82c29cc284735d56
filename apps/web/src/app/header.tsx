import type { ReactNode } from 'react';
import type { LinkStatus } from '../live/live-stream.js';
import type { HealthState } from '../health/use-health.js';

interface Props {
  sites: readonly string[];
  site: string | undefined;
  onSite: (site: string) => void;
  link: LinkStatus;
  health: HealthState;
  healthOpen: boolean;
  onToggleHealth: () => void;
  /** Who is logged in and the logout button (auth/account-menu). */
  account?: ReactNode;
  /** The console's pages (plant, alarms, rules). */
  nav?: ReactNode;
}

const LINK_TEXT: Record<LinkStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
};
const LINK_TITLE: Record<LinkStatus, string> = {
  connecting: 'Opening the live data stream…',
  live: 'Receiving live values from the server',
  reconnecting: 'Live stream lost; reconnecting automatically',
};

export function Header({
  sites,
  site,
  onSite,
  link,
  health,
  healthOpen,
  onToggleHealth,
  account,
  nav,
}: Props) {
  const healthState = health.error !== undefined ? 'down' : (health.health?.status ?? 'unknown');
  const healthText = { ok: 'Healthy', degraded: 'Degraded', down: 'Unreachable', unknown: 'Checking…' }[
    healthState
  ];
  return (
    <header className="app-header">
      <div className="brand">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            d="M12 2.5c3.6 4.6 6.5 8.4 6.5 11.7a6.5 6.5 0 0 1-13 0C5.5 10.9 8.4 7.1 12 2.5z"
            fill="currentColor"
          />
        </svg>
        <span className="product">Watershed</span>
      </div>
      {nav}
      <div className="site" data-testid="site">
        <span className="site-label">Site</span>
        {sites.length > 1 ? (
          <select aria-label="Site" value={site ?? ''} onChange={(e) => onSite(e.target.value)}>
            {sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <strong>{site ?? '—'}</strong>
        )}
      </div>
      <div className="header-status">
        <span
          className={`pill link-${link}`}
          data-testid="live-status"
          data-status={link}
          title={LINK_TITLE[link]}
          role="status"
        >
          <span className="led" aria-hidden="true" />
          {LINK_TEXT[link]}
        </span>
        <button
          type="button"
          className={`pill health-${healthState}`}
          data-testid="health-status"
          aria-expanded={healthOpen}
          aria-controls="health-panel"
          onClick={onToggleHealth}
          title="Show system health"
        >
          <span className="led" aria-hidden="true" />
          {healthText}
        </button>
        {account}
      </div>
    </header>
  );
}
