import { formatAge } from '../format/format.js';
import { useNow } from '../app/now.js';
import type { HealthState } from './use-health.js';

/** The server's components and whether each works, from `/healthz`. */
export function HealthPanel({ state }: { state: HealthState }) {
  const now = useNow();
  const entries = Object.entries(state.health?.components ?? {}).sort(
    ([a, x], [b, y]) => Number(x.ok) - Number(y.ok) || a.localeCompare(b),
  );
  return (
    <section
      className="panel health-panel"
      id="health-panel"
      aria-label="System health"
      data-testid="health-panel"
    >
      <div className="health-head">
        <h2>System health</h2>
        {state.health?.version !== undefined ? (
          <span className="hint">server {state.health.version}</span>
        ) : null}
        {state.checkedAt !== undefined ? (
          <span className="hint">checked {formatAge(now - state.checkedAt)} ago</span>
        ) : null}
      </div>
      {state.error !== undefined ? (
        <p className="health-error" role="alert">
          Health check failed: {state.error}
          {state.health !== undefined ? ' — last known state below.' : ''}
        </p>
      ) : null}
      {state.health === undefined && state.error === undefined ? <p className="hint">Checking…</p> : null}
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
              <span className="state">{c.ok ? 'OK' : 'FAILED'}</span>
              {c.detail !== undefined ? <span className="detail">{c.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : state.health !== undefined ? (
        <p className="hint">The server reports no components.</p>
      ) : null}
    </section>
  );
}
