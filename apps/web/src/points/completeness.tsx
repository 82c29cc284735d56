import { useServices } from '../app/services.js';
import { useNow } from '../app/now.js';

/**
 * Share of good samples among those that arrived in the last minute for a group of points —
 * a glance tells whether a section's data can be trusted right now.
 */
export function Completeness({ pointIds }: { pointIds: readonly string[] }) {
  const { store } = useServices();
  useNow(); // re-evaluate as the window slides
  const { good, total, silent } = store.completeness(pointIds);
  if (total === 0) {
    return (
      <span
        className="completeness is-empty"
        title="No samples received in the last minute"
        data-testid="completeness"
      >
        no data
      </span>
    );
  }
  const pct = Math.round((good / total) * 100);
  const level = pct >= 99 ? 'good' : pct >= 90 ? 'warn' : 'bad';
  const title = `${good} of ${total} samples good in the last minute${silent > 0 ? `; ${silent} point(s) silent` : ''}`;
  return (
    <span className={`completeness c-${level}`} title={title} data-testid="completeness" data-value={pct}>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      {pct}%
    </span>
  );
}
