import { Fragment, useState } from 'react';
import { formatDateTime } from '../format/format.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { AuditEntry } from './audit-api.js';
import { diffValues, timeOf } from './audit-diff.js';
import { splitResource } from './audit-logic.js';

/** One audit entry; expanded, it shows what changed, field by field, before → after. */
export function AuditRow({ entry, columns }: { entry: AuditEntry; columns: number }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const { type, id } = splitResource(entry.resource);
  const recorded = entry.before !== undefined || entry.after !== undefined;

  return (
    <Fragment>
      <tr className={open ? 'is-open' : undefined} data-seq={entry.seq} data-testid="audit-row">
        <td>
          <button
            type="button"
            className="audit-toggle"
            aria-expanded={open}
            aria-label={open ? t('audit.collapse') : t('audit.expand')}
            title={open ? t('audit.collapse') : t('audit.expand')}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? '▾' : '▸'}
          </button>
        </td>
        <td className="audit-time">{formatDateTime(entry.at, locale)}</td>
        <td>{entry.actor}</td>
        <td>
          <code>{entry.action}</code>
        </td>
        <td>
          <span className="audit-type">{type}</span> {id !== '' ? <code>{id}</code> : null}
        </td>
        <td>{entry.project === '*' ? t('users.project.all') : (entry.project ?? '')}</td>
        <td className="audit-from">{entry.from ?? ''}</td>
      </tr>
      {open ? (
        <tr className="audit-detail">
          <td colSpan={columns}>
            {recorded ? (
              <AuditDiff before={entry.before} after={entry.after} />
            ) : (
              <p className="hint">{t('audit.diff.none')}</p>
            )}
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t, locale } = useI18n();
  const lines = diffValues(before, after);
  const value = (path: string, text: string | undefined) => {
    if (text === undefined) return <span className="hint">{t('audit.diff.absent')}</span>;
    const at = timeOf(path, text);
    return at !== undefined ? <span title={text}>{formatDateTime(at, locale)}</span> : text;
  };
  if (lines.length === 0) return <p className="hint">{t('audit.diff.unchanged')}</p>;
  return (
    <table className="audit-diff" data-testid="audit-diff">
      <thead>
        <tr>
          <th>{t('audit.diff.field')}</th>
          <th>{t('audit.diff.before')}</th>
          <th aria-hidden="true" />
          <th>{t('audit.diff.after')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.path} className={`diff-${l.kind}`} data-kind={l.kind}>
            <td>
              <code>{l.path === '' ? '—' : l.path}</code>{' '}
              <span className="diff-kind">{t(`audit.diff.${l.kind}`)}</span>
            </td>
            <td className="diff-before">{value(l.path, l.before)}</td>
            <td aria-hidden="true">→</td>
            <td className="diff-after">{value(l.path, l.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
