import { Suspense, lazy, useMemo, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { usePoll } from '../fleet/use-poll.js';
import { brokerStats } from './broker-api.js';
import { isInstallationOnly, rateSeries, rateText } from './broker-logic.js';
import { BansTab } from './bans-tab.js';
import { ClientsTab } from './clients-tab.js';
import { ListenersTab, RetainedTab, SubscriptionsTab } from './list-tabs.js';
import { statsOption } from './stats-chart-option.js';
import '../alarms/alarms.css';
import '../fleet/fleet.css';
import './broker.css';

const STATS_MS = 3000;

// ECharts is loaded with the page that draws it (as the trend does), so the entry stays small.
const StatsChart = lazy(async () => ({ default: (await import('./stats-chart.js')).StatsChart }));

type Tab = 'clients' | 'subscriptions' | 'retained' | 'listeners' | 'bans';
const TABS: readonly { tab: Tab; label: string }[] = [
  { tab: 'clients', label: 'Clients' },
  { tab: 'subscriptions', label: 'Subscriptions' },
  { tab: 'retained', label: 'Retained' },
  { tab: 'listeners', label: 'Listeners' },
  { tab: 'bans', label: 'Bans' },
];

/** The MQTT broker: its rates, clients, subscriptions, retained messages and bans. */
export function BrokerPage() {
  const stats = usePoll((signal) => brokerStats(signal), STATS_MS, 'stats');
  const [tab, setTab] = useState<Tab>('clients');
  const option = useMemo(() => statsOption(rateSeries(stats.data?.history ?? [])), [stats.data]);

  if (isInstallationOnly(stats.error)) {
    return (
      <main className="broker-page state-page" data-testid="broker-installation-only">
        <h2>Broker operations are for installation administrators</h2>
        <p className="hint">
          The broker serves every project of this installation, so only an account of the whole installation
          can see and change it.
        </p>
      </main>
    );
  }

  const c = stats.data?.current;
  return (
    <main className="broker-page" data-testid="broker-page">
      <div className="fleet-head">
        <h2>Broker</h2>
        {c !== undefined ? (
          <span className="broker-counts">
            <b>{c.clients}</b> clients · <b>{c.subscriptions}</b> subscriptions · <b>{c.retained}</b> retained
            · <b>{c.bans}</b> bans
            {c.rate !== undefined ? (
              <>
                {' '}
                · in <b>{rateText(c.rate.messagesIn)}</b>/s · out <b>{rateText(c.rate.messagesOut)}</b>/s
                {c.rate.dropped > 0 ? (
                  <span className="alarm-error"> · dropped {rateText(c.rate.dropped)}/s</span>
                ) : null}
              </>
            ) : null}
          </span>
        ) : null}
      </div>
      {stats.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {actionErrorText(stats.error, 'read the broker statistics')}
        </p>
      ) : null}
      <Suspense fallback={<div className="broker-chart" aria-busy="true" />}>
        <StatsChart option={option} />
      </Suspense>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            aria-selected={tab === t.tab}
            onClick={() => setTab(t.tab)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'clients' ? <ClientsTab /> : null}
      {tab === 'subscriptions' ? <SubscriptionsTab /> : null}
      {tab === 'retained' ? <RetainedTab /> : null}
      {tab === 'listeners' ? <ListenersTab /> : null}
      {tab === 'bans' ? <BansTab /> : null}
    </main>
  );
}
