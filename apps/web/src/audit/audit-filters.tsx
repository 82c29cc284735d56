import { useState } from 'react';
import { useT } from '../i18n/i18n-context.js';
import { fromLocalInput, toLocalInput } from '../explorer/explorer-state.js';
import type { AuditFilter } from './audit-api.js';

/**
 * The API's filters — who, action, resource (exact), from/to — applied together with Apply (so
 * typing a name does not query the log at every keystroke).
 */
export function AuditFilters({
  filter,
  actions,
  onApply,
}: {
  filter: AuditFilter;
  actions: readonly string[];
  onApply: (f: AuditFilter) => void;
}) {
  const t = useT();
  const [actor, setActor] = useState(filter.actor ?? '');
  const [action, setAction] = useState(filter.action ?? '');
  const [resource, setResource] = useState(filter.resource ?? '');
  const [from, setFrom] = useState(filter.from !== undefined ? toLocalInput(filter.from) : '');
  const [to, setTo] = useState(filter.to !== undefined ? toLocalInput(filter.to) : '');

  const apply = (): void => {
    const f: AuditFilter = {};
    if (actor.trim() !== '') f.actor = actor.trim();
    if (action.trim() !== '') f.action = action.trim();
    if (resource.trim() !== '') f.resource = resource.trim();
    const a = fromLocalInput(from);
    // The end is inclusive to the minute the user typed.
    const b = fromLocalInput(to);
    if (a !== undefined) f.from = a;
    if (b !== undefined) f.to = b + 59_999;
    onApply(f);
  };

  return (
    <form
      className="audit-filters"
      data-testid="audit-filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        {t('audit.filter.actor')}
        <input
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          placeholder={t('audit.filter.actorHint')}
          name="actor"
        />
      </label>
      <label>
        {t('audit.filter.action')}
        <input
          value={action}
          onChange={(e) => setAction(e.target.value)}
          placeholder={t('audit.filter.anyAction')}
          list="audit-actions"
          name="action"
        />
        <datalist id="audit-actions">
          {actions.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label>
        {t('audit.filter.resource')}
        <input
          value={resource}
          onChange={(e) => setResource(e.target.value)}
          placeholder={t('audit.filter.resourceHint')}
          name="resource"
        />
      </label>
      <label>
        {t('audit.filter.from')}
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} name="from" />
      </label>
      <label>
        {t('audit.filter.to')}
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} name="to" />
      </label>
      <div className="audit-filter-buttons">
        <button type="submit" className="primary">
          {t('audit.filter.apply')}
        </button>
        <button
          type="button"
          onClick={() => {
            setActor('');
            setAction('');
            setResource('');
            setFrom('');
            setTo('');
            onApply({});
          }}
        >
          {t('audit.filter.clear')}
        </button>
      </div>
    </form>
  );
}
