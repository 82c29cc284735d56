import { useServices } from '../app/services.js';
import { useNow } from '../app/now.js';
import { useT } from '../i18n/i18n-context.js';

/**
 * Share of good samples among those that arrived in the last minute for a group of points —
 * a glance tells whether a section's data can be trusted right now.
 */
export function Completeness({ pointIds }: { pointIds: readonly string[] }) {
  const { store } = useServices();
  const t = useT();
  useNow(); // re-evaluate as the window slides
  const { good, total, silent } = store.completeness(pointIds);
  if (total === 0) {
    return (
      <span
        className="completeness is-empty"
        title={t('points.completeness.emptyTitle')}
        data-testid="completeness"
      >
        {t('points.completeness.empty')}
      </span>
    );
  }
  const pct = Math.round((good / total) * 100);
  const level = pct >= 99 ? 'good' : pct >= 90 ? 'warn' : 'bad';
  const title =
    t('points.completeness.title', { good, total }) +
    (silent > 0 ? t('points.completeness.silent', { silent }) : '');
  return (
    <span className={`completeness c-${level}`} title={title} data-testid="completeness" data-value={pct}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {pct}%
    </span>
  );
}
