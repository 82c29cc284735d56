import { useMemo, useState } from 'react';
import type { Point } from '@watershed/model';
import { MAX_COMPARE } from '../app/view-state.js';
import { pointLabel, unitOf } from '../format/format.js';
import { useT } from '../i18n/i18n-context.js';
import { matchesQuery } from './explorer-points.js';

/** Matches listed at once; a longer list is a sign the search should be narrower. */
const SHOWN = 200;

/** Search and multi-select of points: every word must match the id, name, site or unit. */
export function PointPicker({
  points,
  selected,
  colors,
  onToggle,
  onClear,
}: {
  points: readonly Point[];
  selected: readonly string[];
  colors: ReadonlyMap<string, string>;
  onToggle: (id: string) => void;
  onClear: () => void;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const matches = useMemo(() => points.filter((p) => matchesQuery(p, query)), [points, query]);
  const full = selected.length >= MAX_COMPARE;

  return (
    <aside className="explorer-picker" aria-label={t('explorer.search')}>
      <input
        type="search"
        className="explorer-search"
        aria-label={t('explorer.search')}
        placeholder={t('explorer.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="explorer-search"
      />
      <div className="explorer-picker-head">
        <span>{t('explorer.matches', { count: matches.length })}</span>
        <span>
          {t('explorer.selected', { count: selected.length, max: MAX_COMPARE })}
          {selected.length > 0 ? (
            <>
              {' · '}
              <button type="button" className="link" onClick={onClear}>
                {t('explorer.clear')}
              </button>
            </>
          ) : null}
        </span>
      </div>
      <ul className="explorer-points" data-testid="explorer-points">
        {matches.slice(0, SHOWN).map((p) => {
          const on = selected.includes(p.id);
          const unit = unitOf(p);
          return (
            <li key={p.id}>
              <label className={on ? 'is-on' : undefined}>
                <input
                  type="checkbox"
                  checked={on}
                  disabled={!on && full}
                  onChange={() => onToggle(p.id)}
                  data-point={p.id}
                />
                <span className="swatch" style={on ? { background: colors.get(p.id) } : undefined} />
                <span className="explorer-point-text">
                  <span className="explorer-point-name">
                    {pointLabel(p)}
                    {unit !== undefined ? <span className="unit"> {unit}</span> : null}
                  </span>
                  <span className="explorer-point-id">{p.id}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      {matches.length === 0 ? <p className="hint">{t('explorer.noMatch', { query })}</p> : null}
      {matches.length > SHOWN ? (
        <p className="hint">{t('explorer.more', { count: matches.length - SHOWN })}</p>
      ) : null}
    </aside>
  );
}
