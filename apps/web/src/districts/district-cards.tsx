import { useI18n } from '../i18n/i18n-context.js';
import { cardDay, formatM3, formatPct, mnfRatio } from './districts-logic.js';
import type { DistrictSummary } from './districts-types.js';

/** One card per district: balance, night flow against its usual level, and a leak badge. */
export function DistrictCards({
  districts,
  selected,
  onSelect,
}: {
  districts: readonly DistrictSummary[];
  selected: string | undefined;
  onSelect: (id: string) => void;
}) {
  const { t, locale, formatNumber } = useI18n();
  return (
    <div className="district-cards" role="list">
      {districts.map((d) => {
        const shown = cardDay(d);
        const day = shown?.day;
        const ratio = day ? mnfRatio(day) : undefined;
        const leakSize = day?.mnfRiseM3h ?? day?.leakEstimateM3h ?? null;
        return (
          <button
            key={d.id}
            type="button"
            role="listitem"
            className={`district-card${d.leak ? ' is-leak' : ''}${d.id === selected ? ' is-selected' : ''}`}
            aria-pressed={d.id === selected}
            aria-label={t('districts.card.open', { name: d.name })}
            data-testid={`district-card-${d.id}`}
            onClick={() => onSelect(d.id)}
          >
            <div className="district-card-head">
              <strong>{d.name}</strong>
              {d.leak ? (
                <span className="badge leak" data-testid="leak-badge" title={t('districts.leak')}>
                  {t('districts.leak')}
                </span>
              ) : (
                <span className="badge ok">{t('districts.noLeak')}</span>
              )}
            </div>
            {day === undefined ? (
              <p className="muted">{t('districts.noData')}</p>
            ) : (
              <>
                <dl className="district-figures">
                  <div>
                    <dt>{t('districts.card.input')}</dt>
                    <dd>{formatM3(day.systemInputM3, locale)} m³</dd>
                  </div>
                  <div>
                    <dt>{t('districts.card.nrw')}</dt>
                    <dd>{formatPct(day.nrwPct, locale)}</dd>
                  </div>
                  <div>
                    <dt>{t('districts.card.mnf')}</dt>
                    <dd>{formatM3(day.mnfM3h, locale)} m³/h</dd>
                  </div>
                </dl>
                {ratio !== undefined ? (
                  <div
                    className="mnf-bar"
                    title={t('districts.card.baseline', { value: formatM3(day.baselineM3h, locale) })}
                  >
                    {/* The baseline sits at two thirds of the bar, so a rise shows as overflow past it. */}
                    <span
                      className="mnf-fill"
                      style={{ width: `${Math.min(100, (ratio * 100 * 2) / 3)}%` }}
                    />
                    <span className="mnf-mark" />
                  </div>
                ) : null}
                <p className="muted">
                  {t(shown?.which === 'today' ? 'districts.today' : 'districts.yesterday')}
                  {' · '}
                  {t('districts.card.meters', { count: d.meters })}
                  {d.leak && leakSize !== null ? (
                    <>
                      {' · '}
                      <span className="leak-text">
                        {t('districts.leakSize', { size: formatNumber(Number(leakSize.toFixed(1))) })}
                      </span>
                    </>
                  ) : null}
                </p>
              </>
            )}
          </button>
        );
      })}
    </div>
  );
}
