import type { ReactNode } from 'react';
import type { LinkStatus } from '../live/live-stream.js';
import type { HealthState } from '../health/use-health.js';
import { useT } from '../i18n/i18n-context.js';
import { LanguageSwitch } from '../i18n/language-switch.js';

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
  const t = useT();
  const healthState = health.error !== undefined ? 'down' : (health.health?.status ?? 'unknown');
  const healthText = t(`header.health.${healthState}`);
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
        <span className="site-label">{t('header.site')}</span>
        {sites.length > 1 ? (
          <select aria-label={t('header.site')} value={site ?? ''} onChange={(e) => onSite(e.target.value)}>
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
          title={t(`header.linkTitle.${link}`)}
          role="status"
        >
          <span className="led" aria-hidden="true" />
          {t(`header.link.${link}`)}
        </span>
        <button
          type="button"
          className={`pill health-${healthState}`}
          data-testid="health-status"
          aria-expanded={healthOpen}
          aria-controls="health-panel"
          onClick={onToggleHealth}
          title={t('header.healthTitle')}
        >
          <span className="led" aria-hidden="true" />
          {healthText}
        </button>
        <LanguageSwitch />
        {account}
      </div>
    </header>
  );
}
