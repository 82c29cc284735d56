import { useMemo, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { useI18n } from '../i18n/i18n-context.js';
import { usePoll } from '../fleet/use-poll.js';
import { BalanceTab } from './balance-tab.js';
import { DataQualityTab } from './data-quality-tab.js';
import { DistrictCards } from './district-cards.js';
import { districtReport, listDistricts } from './districts-api.js';
import { DAY_MS, RANGE_DAYS, rangeOf, sitesOfPoints, sortDistricts } from './districts-logic.js';
import { TABS } from './districts-view.js';
import { MetersTab } from './meters-tab.js';
import { QualityTab } from './quality-tab.js';
import { useDistrictsView } from './use-districts-view.js';
import '../alarms/alarms.css';
import './districts.css';

// The balance is computed from days of stored samples: once a minute is plenty.
const REFRESH_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Districts (DMAs): their water balance, minimum night flow and leak flags, meter health, water
 * quality against GB 5749-2022 and data quality — what a leakage or network engineer checks
 * every morning. The selected district, tab and range live in the URL.
 */
export function DistrictsPage({ onOpenInflow }: { onOpenInflow?: (points: string[]) => void }) {
  const { t } = useI18n();
  const [view, setView] = useDistrictsView();
  // Ranges end at the hour the page was opened (or refreshed by switching range), so the
  // requests stay the same between polls and the server can answer from its rollups.
  const [now] = useState(() => Math.ceil(Date.now() / HOUR_MS) * HOUR_MS);
  const range = useMemo(() => rangeOf(view.days, now), [view.days, now]);
  const list = usePoll((signal) => listDistricts(signal), REFRESH_MS, 'districts');
  const districts = useMemo(() => sortDistricts(list.data ?? []), [list.data]);
  const selected = districts.find((d) => d.id === view.district) ?? districts[0];
  const report = usePoll(
    async (signal) => (selected === undefined ? undefined : districtReport(selected.id, range, signal)),
    REFRESH_MS,
    `${selected?.id ?? ''}:${range.from}`,
  );

  if (list.data === undefined)
    return (
      <main className="districts-page state-page" role="status">
        {list.error !== undefined ? (
          <p className="error">{actionErrorText(list.error, t('districts.loading'), undefined, t)}</p>
        ) : (
          <>
            <div className="spinner" aria-hidden="true" />
            <p>{t('districts.loading')}</p>
          </>
        )}
      </main>
    );

  return (
    <main className="districts-page" data-testid="districts-page">
      <div className="page-head">
        <h2>{t('districts.title')}</h2>
        <label className="range">
          {t('districts.range')}{' '}
          <select
            value={view.days}
            onChange={(e) => setView({ days: Number(e.target.value) as (typeof RANGE_DAYS)[number] })}
          >
            {RANGE_DAYS.map((d) => (
              <option key={d} value={d}>
                {t('districts.range.days', { days: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {districts.length === 0 ? (
        <p className="hint">{t('districts.empty')}</p>
      ) : (
        <DistrictCards
          districts={districts}
          selected={selected?.id}
          onSelect={(id) => setView({ district: id })}
        />
      )}
      {selected !== undefined ? (
        <section className="district-detail" aria-label={selected.name}>
          <div className="tabs" role="tablist">
            {TABS.map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={view.tab === tab}
                data-testid={`district-tab-${tab}`}
                onClick={() => setView({ tab })}
              >
                {t(`districts.tab.${tab}`)}
              </button>
            ))}
          </div>
          {view.tab === 'balance' ? (
            report.data !== undefined ? (
              <BalanceTab report={report.data} onOpenInflow={onOpenInflow} />
            ) : report.error !== undefined ? (
              <p className="error">{actionErrorText(report.error, t('districts.loading'), undefined, t)}</p>
            ) : (
              <p className="hint" role="status">
                {t('districts.loading')}
              </p>
            )
          ) : view.tab === 'meters' ? (
            <MetersTab district={selected.id} range={range} />
          ) : view.tab === 'quality' ? (
            <QualityTab range={range} />
          ) : (
            <DataQualityTab
              sites={sitesOfPoints([selected.id + '.', ...selected.inflowPoints])}
              range={{ from: range.to - DAY_MS, to: range.to }}
            />
          )}
        </section>
      ) : null}
    </main>
  );
}
