import { useMemo, useState } from 'react';
import { useSession } from '../auth/session-context.js';
import { download } from '../explorer/download.js';
import { useT } from '../i18n/i18n-context.js';
import { adminErrorText, canManageKeys, isRole } from '../users/users-logic.js';
import { auditExportUrl, type AuditFilter } from './audit-api.js';
import { AuditFilters } from './audit-filters.js';
import { actionSuggestions, entryMatches } from './audit-logic.js';
import { AuditRow } from './audit-row.js';
import { useAudit } from './use-audit.js';
import '../alarms/alarms.css';
import '../users/admin.css';
import './audit.css';

const COLUMNS = 7;

/**
 * The audit log: who changed what, when and from where. Filtered by the API (who, action,
 * resource, time), paged by its cursor, searchable as text within what is loaded, exported
 * whole through the API's streamed CSV or JSON lines. Engineers and admins only, as the API.
 */
export function AuditPage() {
  const t = useT();
  const { me } = useSession();
  const role = me.user.role;
  if (!canManageKeys(role)) {
    return (
      <main className="admin-page state-page" data-testid="audit-no-access">
        <h2>{t('audit.noAccess.title')}</h2>
        <p className="hint">{t('audit.noAccess.hint', { role: isRole(role) ? t(`role.${role}`) : role })}</p>
      </main>
    );
  }
  return <AuditLog />;
}

function AuditLog() {
  const t = useT();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [text, setText] = useState('');
  const list = useAudit(filter);
  const shown = useMemo(() => list.entries.filter((e) => entryMatches(e, text)), [list.entries, text]);
  const actions = useMemo(() => actionSuggestions(list.entries), [list.entries]);

  return (
    <main className="admin-page audit-page" data-testid="audit-page">
      <div className="admin-head">
        <h2>{t('audit.title')}</h2>
        <span className="audit-export">
          <button
            type="button"
            title={t('audit.exportHint')}
            onClick={() => download(auditExportUrl(filter, 'csv'), 'audit.csv')}
            data-testid="audit-export-csv"
          >
            {t('audit.export.csv')}
          </button>
          <button
            type="button"
            title={t('audit.exportHint')}
            onClick={() => download(auditExportUrl(filter, 'jsonl'), 'audit.jsonl')}
            data-testid="audit-export-jsonl"
          >
            {t('audit.export.jsonl')}
          </button>
        </span>
      </div>
      <AuditFilters filter={filter} actions={actions} onApply={setFilter} />
      <div className="admin-bar">
        <label className="audit-text">
          {t('audit.filter.text')}
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('audit.filter.textHint')}
            data-testid="audit-text"
          />
        </label>
        <span className="hint" data-testid="audit-count">
          {text.trim() !== ''
            ? t('audit.textCount', { shown: shown.length, count: list.entries.length, text: text.trim() })
            : t(list.more ? 'audit.countMore' : 'audit.count', { count: list.entries.length })}
        </span>
      </div>
      {list.error !== undefined ? (
        <p className="alarm-error" role="alert">
          {adminErrorText(list.error, t('audit.do.list'), t)}
        </p>
      ) : null}
      {!list.loading && list.error === undefined && list.entries.length === 0 ? (
        <p className="hint" data-testid="audit-empty">
          {t('audit.empty')}
        </p>
      ) : null}
      {shown.length > 0 ? (
        <table className="admin-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th />
              <th>{t('audit.col.time')}</th>
              <th>{t('audit.col.actor')}</th>
              <th>{t('audit.col.action')}</th>
              <th>{t('audit.col.resource')}</th>
              <th>{t('audit.col.project')}</th>
              <th>{t('audit.col.from')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <AuditRow key={e.seq} entry={e} columns={COLUMNS} />
            ))}
          </tbody>
        </table>
      ) : null}
      {list.loading ? <p className="hint">{t('audit.loading')}</p> : null}
      {list.more ? (
        <button
          type="button"
          onClick={list.loadMore}
          disabled={list.loading}
          data-testid="audit-more"
          className="audit-more"
        >
          {t('audit.more')}
        </button>
      ) : null}
    </main>
  );
}
