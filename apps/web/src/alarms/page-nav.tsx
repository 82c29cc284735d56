import { useT } from '../i18n/i18n-context.js';
import { tOr } from '../i18n/translate.js';

export type Page =
  | 'overview'
  | 'plant'
  | 'alarms'
  | 'rules'
  | 'fleet'
  | 'broker'
  | 'explorer'
  | 'users'
  | 'audit'
  | 'districts'
  | 'sinks';

const PAGES: readonly { page: Page; label: string }[] = [
  { page: 'overview', label: 'Overview' },
  { page: 'plant', label: 'Plant' },
  { page: 'districts', label: 'Districts' },
  { page: 'alarms', label: 'Alarms' },
  { page: 'rules', label: 'Rules' },
  { page: 'fleet', label: 'Fleet' },
  { page: 'broker', label: 'Broker' },
  { page: 'sinks', label: 'Sinks' },
  { page: 'explorer', label: 'Explorer' },
  { page: 'users', label: 'Users' },
  { page: 'audit', label: 'Audit' },
];

/** The console's pages, in the header; a page's name comes from the catalog (`nav.<page>`) when it has one. */
export function PageNav({ page, onPage }: { page: Page; onPage: (p: Page) => void }) {
  const t = useT();
  return (
    <nav className="page-nav" aria-label={t('nav.label')}>
      {PAGES.map((p) => (
        <button
          key={p.page}
          type="button"
          aria-current={page === p.page ? 'page' : undefined}
          onClick={() => onPage(p.page)}
        >
          {tOr(t, `nav.${p.page}`, p.label)}
        </button>
      ))}
    </nav>
  );
}
