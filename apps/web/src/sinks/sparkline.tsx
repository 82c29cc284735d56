import { useT } from '../i18n/i18n-context.js';
import { sparkPoints } from './sink-logic.js';

const W = 80;
const H = 18;

/** A sink's recent send rate as a small line (an inline SVG: one per row, no chart library). */
export function Sparkline({ values }: { values: readonly number[] }) {
  const t = useT();
  return (
    <svg
      className="sink-spark"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={t('sinks.spark.label')}
    >
      <polyline points={sparkPoints(values.length === 1 ? [values[0]!, values[0]!] : values, W, H - 1)} />
    </svg>
  );
}
