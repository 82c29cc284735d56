export type Page = 'plant' | 'alarms' | 'rules';

const PAGES: readonly { page: Page; label: string }[] = [
  { page: 'plant', label: 'Plant' },
  { page: 'alarms', label: 'Alarms' },
  { page: 'rules', label: 'Rules' },
];

/** The console's pages, in the header. */
export function PageNav({ page, onPage }: { page: Page; onPage: (p: Page) => void }) {
  return (
    <nav className="page-nav" aria-label="Pages">
      {PAGES.map((p) => (
        <button
          key={p.page}
          type="button"
          aria-current={page === p.page ? 'page' : undefined}
          onClick={() => onPage(p.page)}
        >
          {p.label}
        </button>
      ))}
    </nav>
  );
}
