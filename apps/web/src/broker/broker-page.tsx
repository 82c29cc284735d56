import { Suspense, lazy, useMemo, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { usePoll } from '../fleet/use-poll.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { brokerStats } from './broker-api.js';
import { isInstallationOnly, rateSeries, rateText } from './broker-logic.js';
import { BansTab } from './bans-tab.js';
import { ClientsTab } from './clients-tab.js';
import { AclTab } from './acl-tab.js';
import { ListenersTab, RetainedTab, SubscriptionsTab } from './list-tabs.js';
import { UsersTab } from './users-tab.js';
import { statsOption } from './stats-chart-option.js';
import '../alarms/alarms.css';
import '../fleet/fleet.css';
import './broker.css';

const STATS_MS = 3000;

// ECharts is loaded with the page that draws it (as the trend does), so the entry stays small.
const StatsChart = lazy(async () => ({ default: (await import('./stats-chart.js')).StatsChart }));

type Tab = 'clients' | 'subscriptions' | 'retained' | 'listeners' | 'bans' | 'users' | 'acl';
const TABS: readonly { tab: Tab; label: MessageKey }[] = [
  { tab: 'clients', label: 'broker.tab.clients' },
  { tab: 'subscriptions', label: 'broker.tab.subscriptions' },
  { tab: 'retained', label: 'broker.tab.retained' },
  { tab: 'listeners', label: 'broker.tab.listeners' },
  { tab: 'bans', label: 'broker.tab.bans' },
  { tab: 'users', label: 'broker.tab.users' },
  { tab: 'acl', label: 'broker.tab.acl' },
];

/** The MQTT broker: its rates, clients, subscriptions, retained messages, bans, users and ACL. */
export function BrokerPage() {
  const { t, formatNumber } = useI18n();
  const stats = usePoll((signal) => brokerStats(signal), STATS_MS, 'stats');
  const [tab, setTab] = useState<Tab>('clients');
  const option = useMemo(() => statsOption(rateSeries(stats.data?.history ?? []), t), [stats.data, t]);

  if (isInstallationOnly(stats.error)) {
    return (
      <main className="broker-page state-page" data-testid="broker-installation-only">
        <h2>{t('broker.installOnly.title')}</h2>
        <p className="hint">{t('broker.installOnly.hint')}</p>
      </main>
    );
  }

  const c = stats.data?.current;
  return (
    <main className="broker-page" data-testid="broker-page">
      <div className="fleet-head">
        <h2>{t('broker.title')}</h2>
        {c !== undefined ? (
          <span className="broker-counts">
            <b>{formatNumber(c.clients)}</b> {t('broker.stat.clients')} ·{' '}
            <b>{formatNumber(c.subscriptions)}</b> {t('broker.stat.subscriptions')} ·{' '}
            <b>{formatNumber(c.retained)}</b> {t('broker.stat.retained')} · <b>{formatNumber(c.bans)}</b>{' '}
            {t('broker.stat.bans')}
            {c.rate !== undefined ? (
              <>
                {' '}
                · {t('broker.stat.in')} <b>{rateText(c.rate.messagesIn)}</b>
                {t('broker.perSecond')} · {t('broker.stat.out')} <b>{rateText(c.rate.messagesOut)}</b>
                {t('broker.perSecond')}
                {c.rate.dropped > 0 ? (
                  <span className="alarm-error">
                    {' '}
                    · {t('broker.stat.dropped')} {rateText(c.rate.dropped)}
                    {t('broker.perSecond')}
                  </span>
                ) : null}
              </>
            ) : null}
          </span>
        ) : null}
      </div>
      {stats.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {actionErrorText(stats.error, t('broker.do.stats'), undefined, t)}
        </p>
      ) : null}
      <Suspense fallback={<div className="broker-chart" aria-busy="true" />}>
        <StatsChart option={option} />
      </Suspense>
      <div className="tabs" role="tablist">
        {TABS.map((x) => (
          <button
            key={x.tab}
            type="button"
            role="tab"
            aria-selected={tab === x.tab}
            onClick={() => setTab(x.tab)}
          >
            {t(x.label)}
          </button>
        ))}
      </div>
      {tab === 'clients' ? <ClientsTab /> : null}
      {tab === 'subscriptions' ? <SubscriptionsTab /> : null}
      {tab === 'retained' ? <RetainedTab /> : null}
      {tab === 'listeners' ? <ListenersTab /> : null}
      {tab === 'bans' ? <BansTab /> : null}
      {tab === 'users' ? <UsersTab /> : null}
      {tab === 'acl' ? <AclTab /> : null}
    </main>
  );
}
