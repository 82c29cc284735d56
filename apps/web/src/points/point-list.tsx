import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PointWithLatest } from '../api/types.js';
import { useT } from '../i18n/i18n-context.js';
import type { Translate } from '../i18n/translate.js';
import { Completeness } from './completeness.js';
import { groupPoints, matchesQuery } from './grouping.js';
import { PointRow } from './point-row.js';
import { useProblemIds } from './use-problems.js';

interface Props {
  points: readonly PointWithLatest[];
  selected: readonly string[];
  colors: ReadonlyMap<string, string>;
  onActivate: (id: string, additive: boolean) => void;
}

/**
 * The plant's points in sections, with a search box. Keyboard: ↑/↓ (or j/k) move between
 * points, Home/End jump, Enter shows the point's trend, Space adds it to the comparison,
 * "/" jumps to the search box and Escape clears it.
 */
export function PointList({ points, selected, colors, onActivate }: Props) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const selectedSet = useMemo(() => new Set(selected), [selected]);

  const allIds = useMemo(() => points.map((p) => p.id), [points]);
  // Completeness is a property of a whole section, whatever the filter shows of it.
  const sectionIds = useMemo(
    () => new Map(groupPoints(points).map((g) => [g.key, g.points.map((p) => p.id)])),
    [points],
  );
  const problems = useProblemIds(allIds);
  const groups = useMemo(
    () => groupPoints(points.filter((p) => matchesQuery(p, query) && (!onlyProblems || problems.has(p.id)))),
    [points, query, onlyProblems, problems],
  );

  const onListKey = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-testid="point-row"]') ?? [])];
      if (rows.length === 0) return;
      const current = rows.indexOf(document.activeElement as HTMLElement);
      const focusAt = (i: number): void => {
        const row = rows[Math.max(0, Math.min(rows.length - 1, i))];
        row?.focus();
        row?.scrollIntoView({ block: 'nearest' });
      };
      const id = current >= 0 ? rows[current]?.dataset['pointId'] : undefined;
      switch (e.key) {
        case 'ArrowDown':
        case 'j':
          focusAt(current + 1);
          break;
        case 'ArrowUp':
        case 'k':
          focusAt(current < 0 ? 0 : current - 1);
          break;
        case 'Home':
          focusAt(0);
          break;
        case 'End':
          focusAt(rows.length - 1);
          break;
        case 'Enter':
          if (id !== undefined) onActivate(id, false);
          break;
        case ' ':
          if (id !== undefined) onActivate(id, true);
          break;
        case '/':
          searchRef.current?.focus();
          break;
        default:
          return;
      }
      e.preventDefault();
    },
    [onActivate],
  );

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Escape') {
      setQuery('');
    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
      listRef.current?.querySelector<HTMLElement>('[data-testid="point-row"]')?.focus();
    } else return;
    e.preventDefault();
  };

  const shown = groups.reduce((n, g) => n + g.points.length, 0);

  return (
    <section className="panel points-panel" aria-label={t('points.panel')}>
      <div className="points-toolbar">
        <input
          ref={searchRef}
          type="search"
          className="search"
          placeholder={t('points.searchPlaceholder')}
          aria-label={t('points.search')}
          data-testid="point-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
        <button
          type="button"
          className={`filter${onlyProblems ? ' is-active' : ''}${problems.size > 0 ? ' has-problems' : ''}`}
          aria-pressed={onlyProblems}
          data-testid="problems-filter"
          title={t('points.problemsTitle')}
          onClick={() => setOnlyProblems((v) => !v)}
        >
          {t('points.problems')} <span className="n">{problems.size}</span>
        </button>
        <span className="count" aria-live="polite">
          {shown === points.length
            ? t('points.count', { count: points.length })
            : t('points.countOf', { shown, total: points.length })}
        </span>
      </div>
      <div
        ref={listRef}
        className="point-list"
        role="listbox"
        aria-multiselectable="true"
        aria-label={t('points.list')}
        tabIndex={0}
        onKeyDown={onListKey}
        onFocus={(e) => {
          // Entering the list by Tab lands on the first selected point, else the first point.
          if (e.target !== e.currentTarget) return;
          const first =
            e.currentTarget.querySelector<HTMLElement>('[data-testid="point-row"][aria-selected="true"]') ??
            e.currentTarget.querySelector<HTMLElement>('[data-testid="point-row"]');
          first?.focus();
        }}
      >
        {groups.length === 0 ? (
          <p className="empty">{emptyText(t, points.length, query, onlyProblems)}</p>
        ) : (
          groups.map((g) => (
            <div
              key={g.key}
              role="group"
              aria-label={t(`group.${g.key}`)}
              className="point-group"
              data-testid="point-group"
              data-group={g.key}
            >
              <div className="group-header">
                <h3>{t(`group.${g.key}`)}</h3>
                <Completeness pointIds={sectionIds.get(g.key) ?? []} />
              </div>
              {g.points.map((p) => (
                <PointRow
                  key={p.id}
                  point={p}
                  selected={selectedSet.has(p.id)}
                  color={colors.get(p.id)}
                  onActivate={onActivate}
                />
              ))}
            </div>
          ))
        )}
      </div>
      <p className="keys" aria-hidden="true">
        <kbd>↑</kbd>
        <kbd>↓</kbd> {t('points.keys.move')} · <kbd>Enter</kbd> {t('points.keys.trend')} · <kbd>Space</kbd>{' '}
        {t('points.keys.compare')} · <kbd>/</kbd> {t('points.keys.search')} · <kbd>1</kbd>–<kbd>4</kbd>{' '}
        {t('points.keys.range')}
      </p>
    </section>
  );
}

function emptyText(t: Translate, total: number, query: string, onlyProblems: boolean): string {
  if (total === 0) return t('points.empty.none');
  if (onlyProblems && query === '') return t('points.empty.noProblems');
  if (onlyProblems) return t('points.empty.noProblemMatch', { query });
  return t('points.empty.noMatch', { query });
}
