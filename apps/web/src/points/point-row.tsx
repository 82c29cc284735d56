import { memo } from 'react';
import type { PointWithLatest } from '../api/types.js';
import { useNow } from '../app/now.js';
import {
  STALE_AFTER_MS,
  formatAge,
  formatDateTime,
  formatValue,
  pointLabel,
  unitOf,
} from '../format/format.js';
import { useI18n, useT } from '../i18n/i18n-context.js';
import { useLatest } from '../live/use-live.js';

interface Props {
  point: PointWithLatest;
  selected: boolean;
  color: string | undefined;
  onActivate: (id: string, additive: boolean) => void;
}

/**
 * One point: name, live value with unit, quality, age. A click shows it alone in the trend;
 * the checkbox (or Ctrl/⌘-click, or Space) adds it to the comparison.
 */
export const PointRow = memo(function PointRow({ point, selected, color, onActivate }: Props) {
  const t = useT();
  const sample = useLatest(point.id);
  const quality = sample?.quality;
  const text = formatValue(sample?.value, point, t);
  const isState = typeof sample?.value === 'boolean';
  const unit = unitOf(point);
  const qualityTitle =
    sample?.reason ??
    t(quality === 'uncertain' ? 'points.quality.uncertainTitle' : 'points.quality.badTitle');

  return (
    <div
      role="option"
      tabIndex={-1}
      aria-selected={selected}
      className={`point-row q-${quality ?? 'none'}${selected ? ' is-selected' : ''}`}
      data-testid="point-row"
      data-point-id={point.id}
      data-quality={quality ?? 'none'}
      onClick={(e) => onActivate(point.id, e.ctrlKey || e.metaKey || e.shiftKey)}
      title={[pointLabel(point), point.description, point.id].filter((s) => s !== undefined).join('\n')}
    >
      <input
        type="checkbox"
        className="compare"
        tabIndex={-1}
        aria-label={t('points.compare', { name: pointLabel(point) })}
        checked={selected}
        style={color !== undefined ? { accentColor: color } : undefined}
        onClick={(e) => e.stopPropagation()}
        onChange={() => onActivate(point.id, true)}
      />
      <span className="point-name">
        <span className="label">{pointLabel(point)}</span>
        <span className="sub">
          {point.asset !== undefined ? `${point.asset} · ` : ''}
          {point.node}.{point.group}.{point.tag}
        </span>
      </span>
      <span className="point-reading">
        <span className="reading-line">
          <span
            className={`point-value${isState ? ` state-${sample?.value === true ? 'on' : 'off'}` : ''}`}
            data-testid="point-value"
          >
            {text}
          </span>
          {unit !== undefined && !isState ? <span className="unit">{unit}</span> : null}
        </span>
        {quality === 'bad' || quality === 'uncertain' ? (
          <span className={`badge badge-${quality}`} title={qualityTitle} data-testid="point-quality">
            {t(quality === 'bad' ? 'points.quality.bad' : 'points.quality.uncertain')}
          </span>
        ) : null}
      </span>
      <PointAge ts={sample?.ts} />
    </div>
  );
});

/**
 * The age of the value, on the page's clock tick. Its own component so the tick re-renders
 * this cell only, not the whole row.
 */
function PointAge({ ts }: { ts: number | undefined }) {
  const now = useNow();
  const { t, locale } = useI18n();
  if (ts === undefined) {
    return (
      <span className="point-age" title={t('points.noValue')}>
        —
      </span>
    );
  }
  const age = now - ts;
  const stale = age > STALE_AFTER_MS;
  return (
    <span
      className={`point-age${stale ? ' is-stale' : ''}`}
      title={`${formatDateTime(ts, locale)}${stale ? t('points.stale') : ''}`}
    >
      {formatAge(age, t)}
    </span>
  );
}
