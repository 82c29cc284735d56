import { formatAge } from '../format/format.js';
import { useNow } from '../app/now.js';
import { useT } from '../i18n/i18n-context.js';
import { errorText } from '../i18n/translate.js';
import type { HealthState } from './use-health.js';

/** The server's components and whether each works, from `/healthz`. */
export function HealthPanel({ state }: { state: HealthState }) {
  const now = useNow();
  const t = useT();
  const entries = Object.entries(state.health?.components ?? {}).sort(
    ([a, x], [b, y]) => Number(x.ok) - Number(y.ok) || a.localeCompare(b),
  );
  return (
    <section
      className="panel health-panel"
      id="health-panel"
      aria-label={t('health.title')}
      data-testid="health-panel"
    >
      <div className="health-head">
        <h2>{t('health.title')}</h2>
        {state.health?.version !== undefined ? (
          <span className="hint">{t('health.version', { version: state.health.version })}</span>
        ) : null}
        {state.checkedAt !== undefined ? (
          <span className="hint">{t('health.checked', { age: formatAge(now - state.checkedAt, t) })}</span>
        ) : null}
      </div>
      {state.error !== undefined ? (
        <p className="health-error" role="alert">
          {t('health.failed', { error: errorText(t, state.error) })}
          {state.health !== undefined ? t('health.lastKnown') : ''}
        </p>
      ) : null}
      {state.health === undefined && state.error === undefined ? (
        <p className="hint">{t('health.checking')}</p>
      ) : null}
      {entries.length > 0 ? (
        <ul className="components">
          {entries.map(([name, c]) => (
            <li
              key={name}
              className={c.ok ? 'is-ok' : 'is-failed'}
              data-testid="health-component"
              data-component={name}
            >
              <span className="led" aria-hidden="true" />
              <span className="name">{name}</span>
              <span className="state">{t(c.ok ? 'health.ok' : 'health.componentFailed')}</span>
              {c.detail !== undefined ? <span className="detail">{c.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : state.health !== undefined ? (
        <p className="hint">{t('health.noComponents')}</p>
      ) : null}
    </section>
  );
}
