import { Suspense, lazy, useMemo } from 'react';
import { useI18n } from '../i18n/i18n-context.js';
import { balanceOption, nightFlowOption } from './district-chart-option.js';
import { formatM3, formatPct } from './districts-logic.js';
import type { DistrictReport } from './districts-types.js';

// ECharts is most of the bundle: it loads with the tab that draws it.
const DistrictChart = lazy(async () => ({ default: (await import('./district-chart.js')).DistrictChart }));

/** The daily water balance and the night-flow chart of one district, with a day table. */
export function BalanceTab({
  report,
  onOpenInflow,
}: {
  report: DistrictReport;
  onOpenInflow: ((points: string[]) => void) | undefined;
}) {
  const { t, lang, locale } = useI18n();
  const { district, days, settings } = report;
  const balance = useMemo(
    () =>
      balanceOption(days, {
        systemInput: t('districts.chart.input'),
        metered: t('districts.chart.metered'),
        nrwPct: t('districts.chart.nrwPct'),
        volumeAxis: t('districts.chart.volume'),
      }),
    [days, t],
  );
  const night = useMemo(
    () =>
      nightFlowOption(days, {
        mnf: t('districts.chart.mnf'),
        baseline: t('districts.chart.baseline'),
        allowance: t('districts.chart.allowance'),
        leak: t('districts.chart.leak'),
        flowAxis: t('districts.chart.flow'),
      }),
    [days, t],
  );
  return (
    <div className="balance-tab">
      {onOpenInflow !== undefined && district.inflowPoints.length > 0 ? (
        <button type="button" className="link" onClick={() => onOpenInflow(district.inflowPoints)}>
          {t('districts.openInflow')}
        </button>
      ) : null}
      <Suspense fallback={<div className="district-chart" />}>
        <h3>{t('districts.nightChart', { name: district.name })}</h3>
        <DistrictChart
          option={night}
          label={t('districts.nightChart', { name: district.name })}
          lang={lang}
          testId="night-chart"
        />
        <p className="hint">
          {t('districts.nightNote', {
            start: settings.nightStartHour,
            end: settings.nightEndHour,
            minutes: settings.rollingMinutes,
            m3h: settings.leakThresholdM3h,
            pct: settings.leakThresholdPct,
            nights: settings.baselineNights,
          })}
        </p>
        <h3>{t('districts.balanceChart', { name: district.name })}</h3>
        <DistrictChart
          option={balance}
          label={t('districts.balanceChart', { name: district.name })}
          lang={lang}
          testId="balance-chart"
        />
      </Suspense>
      <table className="district-days">
        <thead>
          <tr>
            <th />
            <th className="num">{t('districts.chart.input')} m³</th>
            <th className="num">{t('districts.chart.metered')} m³</th>
            <th className="num">{t('districts.chart.nrwPct')}</th>
            <th className="num">{t('districts.chart.mnf')} m³/h</th>
            <th className="num">{t('districts.chart.baseline')} m³/h</th>
          </tr>
        </thead>
        <tbody>
          {[...days].reverse().map((d) => (
            <tr key={d.date} className={d.leak ? 'is-leak' : undefined}>
              <td>
                {d.date}
                {d.leak ? <span className="badge leak">{t('districts.leak')}</span> : null}
              </td>
              <td className="num">{formatM3(d.systemInputM3, locale)}</td>
              <td className="num">{formatM3(d.meteredM3, locale)}</td>
              <td className="num">{formatPct(d.nrwPct, locale)}</td>
              <td className="num">{formatM3(d.mnfM3h, locale)}</td>
              <td className="num">{formatM3(d.baselineM3h, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
