import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { useServices } from '../app/services.js';
import { formatValue } from '../format/format.js';
import { useI18n, useT } from '../i18n/i18n-context.js';
import { useLatest } from '../live/use-live.js';
import { OverviewMapView } from './overview-map.js';
import {
  activeAlarms,
  level,
  percent,
  SEVERITIES,
  siteLabel,
  siteState,
  sortSites,
  STATE_COLORS,
  volume,
  type SiteState,
} from './overview-logic.js';
import type { OverviewKpis, SiteSummary } from './overview-types.js';
import { useOverviewKpis, useOverviewMap } from './use-overview.js';
import './overview.css';

/**
 * The city overview, the console's landing page (issue 8): KPI tiles, the network map with its
 * sites coloured by state, alarms by severity and the site list with live key values. KPIs are
 * aggregates asked for every few seconds; values and site quality come from the live stream.
 */
export function OverviewPage({ onOpenSite }: { onOpenSite: (site: string) => void }) {
  const t = useT();
  const kpis = useOverviewKpis();
  const map = useOverviewMap();
  const k = kpis.value;
  const states = useSiteStates(k?.sites ?? []);
  const byKey = useMemo(() => new Map((k?.sites ?? []).map((s) => [s.key, s])), [k?.sites]);
  const label = useCallback(
    (key: string) => {
      const s = byKey.get(key);
      return s ? siteLabel(s) : key;
    },
    [byKey],
  );

  return (
    <main className="overview-page" data-testid="overview-page">
      <div className="page-head">
        <h2>{t('overview.title')}</h2>
        {k ? (
          <span className="muted" data-testid="overview-updated">
            {t('overview.updated', { time: new Date(k.at).toLocaleTimeString() })}
          </span>
        ) : null}
      </div>
      {kpis.error !== undefined && !k ? (
        <p className="is-error" role="alert">
          {t('overview.loadFailed', { error: String((kpis.error as Error).message ?? kpis.error) })}
        </p>
      ) : null}
      {!k ? <p role="status">{t('overview.loading')}</p> : <Tiles k={k} />}
      <div className="overview-body">
        <section className="overview-map-box">
          {map.value?.configured ? (
            <>
              <OverviewMapView
                map={map.value}
                states={states}
                sites={byKey}
                label={label}
                onOpenSite={onOpenSite}
              />
              <p className="hint">{t('overview.map.hint')}</p>
            </>
          ) : map.value ? (
            <p className="hint" data-testid="overview-map-none">
              {t('overview.map.none')}
            </p>
          ) : null}
        </section>
        <aside className="overview-side">
          {k ? <Severities k={k} /> : null}
          <h3>{t('overview.sites')}</h3>
          <SiteList sites={k?.sites ?? []} states={states} onOpenSite={onOpenSite} />
        </aside>
      </div>
    </main>
  );
}

function Tiles({ k }: { k: OverviewKpis }) {
  const t = useT();
  const { locale } = useI18n();
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (
    <div className="overview-tiles">
      <Tile
        id="supply"
        title={t('overview.kpi.supply')}
        value={`${volume(k.supply.volumeM3, locale)} ${t('overview.kpi.supplyUnit')}`}
      >
        {k.supply.volumeM3 === null
          ? t('overview.kpi.supplyNone')
          : [
              k.supply.flowM3h !== null
                ? t('overview.kpi.supplyFlow', { flow: nf.format(k.supply.flowM3h) })
                : '',
              t('overview.kpi.supplyCoverage', { coverage: percent(k.supply.coverage) }),
            ]
              .filter(Boolean)
              .join(' · ')}
      </Tile>
      <Tile
        id="pressure"
        title={t('overview.kpi.pressure')}
        value={percent(k.pressure.ratio)}
        level={level(k.pressure.ratio)}
      >
        {t('overview.kpi.pressureDetail', {
          within: k.pressure.within,
          total: k.pressure.total,
          min: k.pressure.minKpa,
        })}
      </Tile>
      <Tile
        id="quality"
        title={t('overview.kpi.quality')}
        value={percent(k.quality.ratio)}
        level={level(k.quality.ratio)}
      >
        {t('overview.kpi.qualityDetail', { within: k.quality.within, total: k.quality.total })}
      </Tile>
      <Tile
        id="alarms"
        title={t('overview.kpi.alarms')}
        value={k.alarms.available ? String(activeAlarms(k)) : '—'}
        level={
          !k.alarms.available
            ? 'none'
            : activeAlarms(k) === 0
              ? 'good'
              : k.alarms.bySeverity.critical > 0
                ? 'bad'
                : 'warn'
        }
      >
        {k.alarms.available
          ? t('overview.kpi.alarmsDetail', { count: k.alarms.unacknowledged })
          : t('overview.kpi.alarmsOff')}
      </Tile>
      <Tile
        id="completeness"
        title={t('overview.kpi.completeness')}
        value={percent(k.completeness.ratio)}
        level={level(k.completeness.ratio)}
      >
        {t('overview.kpi.completenessDetail', { stale: k.completeness.stale, bad: k.completeness.bad })}
      </Tile>
    </div>
  );
}

function Tile(props: {
  id: string;
  title: string;
  value: string;
  level?: string;
  children: React.ReactNode;
}) {
  return (
    <section className={`overview-tile is-${props.level ?? 'none'}`} data-testid={`kpi-${props.id}`}>
      <h3>{props.title}</h3>
      <div className="value" data-testid={`kpi-${props.id}-value`}>
        {props.value}
      </div>
      <div className="detail">{props.children}</div>
    </section>
  );
}

function Severities({ k }: { k: OverviewKpis }) {
  const t = useT();
  return (
    <ul className="overview-severities" data-testid="alarms-by-severity">
      {SEVERITIES.map((s) => (
        <li key={s} className={k.alarms.bySeverity[s] > 0 ? `sev-${s}` : 'sev-none'} data-severity={s}>
          <span className="count">{k.alarms.bySeverity[s]}</span> {t(`overview.severity.${s}`)}
        </li>
      ))}
    </ul>
  );
}

function SiteList(props: {
  sites: readonly SiteSummary[];
  states: ReadonlyMap<string, SiteState>;
  onOpenSite: (site: string) => void;
}) {
  const t = useT();
  const sorted = useMemo(() => sortSites(props.sites), [props.sites]);
  if (sorted.length === 0) return <p className="hint">{t('overview.sites.empty')}</p>;
  return (
    <ul className="overview-sites" data-testid="overview-sites">
      {sorted.map((s) => {
        const state = props.states.get(s.key) ?? 'unknown';
        return (
          <li key={s.key} data-testid="overview-site" data-site={s.key} data-state={state}>
            <button
              type="button"
              className="site-name"
              title={t('overview.sites.open', { site: siteLabel(s) })}
              onClick={() => props.onOpenSite(s.site)}
            >
              <span className="dot" style={{ background: STATE_COLORS[state] }} aria-hidden="true" />
              {siteLabel(s)}
              <span className="sr-only"> ({t(`overview.state.${state}`)})</span>
            </button>
            <span className="muted small">
              {t('overview.sites.points', { fresh: s.fresh, points: s.points })}
            </span>
            <span className="key-values">
              {s.keyPoints.map((p) => (
                <KeyValue key={p.id} id={p.id} quantity={p.quantity} unit={p.unit} />
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** One live value beside its site; re-renders only when that point's sample changes. */
function KeyValue({
  id,
  quantity,
  unit,
}: {
  id: string;
  quantity?: string | undefined;
  unit?: string | undefined;
}) {
  const t = useT();
  const sample = useLatest(id);
  const tag = id.split('.').pop() ?? id;
  return (
    <span className="key-value" data-testid="point-row" data-point-id={id} title={id}>
      <span className="tag">{tag}</span>{' '}
      <span data-testid="point-value" className={sample && sample.quality !== 'good' ? 'is-bad' : undefined}>
        {formatValue(sample?.value, { quantity: quantity as never }, t)}
      </span>
      {unit ? <span className="unit"> {unit}</span> : null}
    </span>
  );
}

/**
 * Each site's state from its alarms (KPIs) and the live quality of its key values; recomputed
 * when the live store changes, but a new Map only when some state actually changed, so the
 * map is redrawn on a change of colour and not on every sample.
 */
function useSiteStates(sites: readonly SiteSummary[]): ReadonlyMap<string, SiteState> {
  const { store } = useServices();
  const cache = useMemo(() => ({ key: '', states: new Map<string, SiteState>() }), []);
  const get = useCallback(() => {
    const states = new Map<string, SiteState>();
    for (const s of sites)
      states.set(
        s.key,
        siteState(
          s,
          s.keyPoints.map((p) => store.latest(p.id)?.quality),
        ),
      );
    const key = [...states].map(([k, v]) => `${k}=${v}`).join(';');
    if (key !== cache.key) {
      cache.key = key;
      cache.states = states;
    }
    return cache.states;
  }, [sites, store, cache]);
  return useSyncExternalStore(store.subscribe, get);
}
