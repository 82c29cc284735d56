import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AlarmsPage } from '../alarms/alarms-page.js';
import { PageNav, type Page } from '../alarms/page-nav.js';
import { AccountMenu } from '../auth/account-menu.js';
import { AuthGate } from '../auth/auth-gate.js';
import { HealthPanel } from '../health/health-panel.js';
import { useHealth } from '../health/use-health.js';
import { useLinkStatus, useResyncCount } from '../live/use-live.js';
import { sitesOf } from '../points/grouping.js';
import { PointList } from '../points/point-list.js';
import { usePoints } from '../points/use-points.js';
import { RulesPage } from '../rules/rules-page.js';
import { FleetPage } from '../fleet/fleet-page.js';
import { BrokerPage } from '../broker/broker-page.js';
import { SinksPage } from '../sinks/sinks-page.js';
import { DistrictsPage } from '../districts/districts-page.js';
import { ExplorerPage } from '../explorer/explorer-page.js';
import { DEFAULT_STATE, formatExplorerState, isExplorerHash } from '../explorer/explorer-state.js';
import { UsersPage } from '../users/users-page.js';
import { AuditPage } from '../audit/audit-page.js';
import { OverviewPage } from '../overview/overview-page.js';
import { assignColors } from '../trend/colors.js';
import { TrendPanel } from '../trend/trend-panel.js';
import { useT } from '../i18n/i18n-context.js';
import { errorText } from '../i18n/translate.js';
import { Header } from './header.js';
import { StatusBanner } from './status-banner.js';
import { useServices } from './services.js';
import { useRangeKeys } from './range-keys.js';
import { MAX_COMPARE, toggleSelected, useViewState } from './view-state.js';

// Health is checked often only while something is wrong, so recovery shows quickly.
const HEALTH_POLL_MS = 15_000;
const HEALTH_POLL_DOWN_MS = 3000;

/** The console, behind the login (and first-login password change) pages. */
export function App() {
  const { stream } = useServices();
  // The stream was refused while nobody was logged in: open it now rather than after its backoff.
  const onSignedIn = useCallback(() => stream.reconnect(), [stream]);
  return (
    <AuthGate onSignedIn={onSignedIn}>
      <Console />
    </AuthGate>
  );
}

function Console() {
  const link = useLinkStatus();
  const resync = useResyncCount();
  const points = usePoints(resync);
  const health = useHealth(link === 'live' ? HEALTH_POLL_MS : HEALTH_POLL_DOWN_MS, `${link}:${resync}`);
  const { stream } = useServices();
  const [view, setView] = useViewState();
  const t = useT();

  // A health check that cannot reach the server while the stream still looks open means the
  // stream is a dead connection held by something in between: reopen it rather than wait.
  useEffect(() => {
    if (health.unreachable && link === 'live') stream.reconnect();
  }, [health.unreachable, health.checkedAt, link, stream]);
  const [healthOpen, setHealthOpen] = useState(false);
  // A shared explorer link opens the explorer, a link to a site its plant page; everything else
  // starts on the city overview.
  const [page, setPage] = useState<Page>(() =>
    isExplorerHash(window.location.hash) ? 'explorer' : view.site !== undefined ? 'plant' : 'overview',
  );
  // The overview's "open site": the plant page on that site.
  const openSite = useCallback(
    (s: string) => {
      setView((v) => ({ ...v, site: s, selected: [] }));
      setPage('plant');
    },
    [setView],
  );
  // Another page's "show in the explorer": the explorer opens on those points, last 7 days.
  const openExplorer = useCallback((ids: string[]) => {
    const { pathname, search, hash } = window.location;
    const state = {
      ...DEFAULT_STATE,
      points: ids.slice(0, MAX_COMPARE),
      range: { kind: 'preset', key: '7d' } as const,
    };
    window.history.replaceState(null, '', `${pathname}${search}${formatExplorerState(state, hash)}`);
    setPage('explorer');
  }, []);

  const sites = useMemo(() => sitesOf(points.points), [points.points]);
  // The URL's site, else the site of a linked point, else the largest site.
  const linkedSite = view.selected.map((id) => byIdSite(points.points, id)).find((s) => s !== undefined);
  const site = [view.site, linkedSite].find((s) => s !== undefined && sites.includes(s)) ?? sites[0];
  const sitePoints = useMemo(() => points.points.filter((p) => p.site === site), [points.points, site]);
  const byId = useMemo(() => new Map(points.points.map((p) => [p.id, p])), [points.points]);

  // A series keeps its colour while it stays selected (see assignColors).
  const colorsRef = useRef<ReadonlyMap<string, string>>(new Map());
  const colors = useMemo(
    () => (colorsRef.current = assignColors(colorsRef.current, view.selected)),
    [view.selected],
  );

  const onActivate = useCallback(
    (id: string, additive: boolean) =>
      setView((v) => ({
        ...v,
        selected: additive
          ? toggleSelected(v.selected, id)
          : v.selected.length === 1 && v.selected[0] === id
            ? []
            : [id],
      })),
    [setView],
  );

  useRangeKeys(setView);

  const offline = link === 'reconnecting';

  return (
    <div className={`app${offline ? ' is-offline' : ''}`}>
      <Header
        sites={sites}
        site={site}
        onSite={(s) => setView((v) => ({ ...v, site: s, selected: [] }))}
        link={link}
        health={health}
        healthOpen={healthOpen}
        onToggleHealth={() => setHealthOpen((o) => !o)}
        account={<AccountMenu />}
        nav={<PageNav page={page} onPage={setPage} />}
      />
      <StatusBanner link={link} points={points} />
      {page === 'overview' ? (
        <OverviewPage onOpenSite={openSite} />
      ) : page === 'alarms' ? (
        <AlarmsPage />
      ) : page === 'rules' ? (
        <RulesPage />
      ) : page === 'fleet' ? (
        <FleetPage />
      ) : page === 'broker' ? (
        <BrokerPage />
      ) : page === 'sinks' ? (
        <SinksPage />
      ) : page === 'districts' ? (
        <DistrictsPage onOpenInflow={openExplorer} />
      ) : page === 'explorer' ? (
        <ExplorerPage points={points.points} />
      ) : page === 'users' ? (
        <UsersPage />
      ) : page === 'audit' ? (
        <AuditPage />
      ) : points.status === 'loading' ? (
        <main className="state-page" role="status" data-testid="loading">
          <div className="spinner" aria-hidden="true" />
          <p>{t('app.loadingPoints')}</p>
        </main>
      ) : points.status === 'error' ? (
        <main className="state-page is-error" data-testid="load-error">
          <h2>{t('app.unreachableTitle')}</h2>
          {points.error !== undefined ? <p>{errorText(t, points.error)}</p> : null}
          <p className="hint">{t('app.unreachableHint')}</p>
        </main>
      ) : (
        <main className="layout">
          <PointList points={sitePoints} selected={view.selected} colors={colors} onActivate={onActivate} />
          <div className="side">
            <TrendPanel
              points={byId}
              selected={view.selected}
              colors={colors}
              range={view.range}
              resyncKey={resync}
              onRange={(range) => setView((v) => ({ ...v, range }))}
              onRemove={(id) => setView((v) => ({ ...v, selected: v.selected.filter((s) => s !== id) }))}
              onClear={() => setView((v) => ({ ...v, selected: [] }))}
            />
            {healthOpen ? <HealthPanel state={health} /> : null}
          </div>
        </main>
      )}
    </div>
  );
}

function byIdSite(points: readonly { id: string; site: string }[], id: string): string | undefined {
  return points.find((p) => p.id === id)?.site;
}
