import { useEffect, useMemo, useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import {
  configText,
  parseConfigText,
  readPlantConfig,
  validateConfig,
  type PlantConfig,
} from './config-model.js';
import { issueText, type PushState } from './config-text.js';
import { ConfigTree } from './config-tree.js';
import { gatewayConfig, pushConfig, type ConfigSummary, type Gateway } from './fleet-api.js';
import { PushStatus, type PushRow } from './push-status.js';
import { TagsCsv } from './tags-csv.js';
import { usePoll } from './use-poll.js';

/**
 * Edits the gateway's newest config version and pushes it — to this gateway and any others
 * selected (gateways of identical plants share a config) — as each one's next version, then
 * shows each one's ack. Two views of one draft: the structured tree, and the raw JSON.
 */
export function ConfigEditor({
  gateway,
  configs,
  fleet,
  onPushed,
}: {
  gateway: Gateway;
  configs: readonly ConfigSummary[];
  /** Every gateway the user sees: the push targets to pick from. */
  fleet: readonly Gateway[];
  onPushed: () => void;
}) {
  const t = useT();
  const latest = configs.reduce<number | undefined>(
    (a, c) => (a === undefined || c.version > a ? c.version : a),
    undefined,
  );
  const loaded = usePoll(
    async (signal) => (latest === undefined ? undefined : gatewayConfig(gateway.id, latest, signal)),
    3_600_000,
    `${gateway.id}:${latest}`,
  );
  const base = useMemo(() => {
    if (loaded.data === undefined) return undefined;
    const r = readPlantConfig(loaded.data.config);
    return r.ok ? r.config : undefined;
  }, [loaded.data]);

  const [draft, setDraft] = useState<PlantConfig>();
  const [raw, setRaw] = useState<string>();
  const [rawError, setRawError] = useState<string>();
  const [targets, setTargets] = useState<ReadonlySet<string>>(() => new Set([gateway.id]));
  const [rows, setRows] = useState<PushRow[]>([]);
  const [busy, setBusy] = useState(false);

  // A new newest version (a push, a rollback, an import) is the new starting point, unless the
  // draft holds changes of the user's own.
  useEffect(() => {
    if (base === undefined) return;
    setDraft((d) => (d === undefined || configText(d) === configText(base) ? base : d));
  }, [base]);

  if (latest === undefined) return <p className="muted">{t('fleet.edit.noVersion')}</p>;
  if (loaded.error !== undefined)
    return (
      <p className="alarm-error">{actionErrorText(loaded.error, t('fleet.do.loadConfig'), undefined, t)}</p>
    );
  if (loaded.data !== undefined && base === undefined)
    return <p className="alarm-error">{t('fleet.edit.unreadable')}</p>;
  if (draft === undefined || base === undefined) return <p className="muted">{t('fleet.loading')}</p>;

  const issues = validateConfig(draft);
  const changed = configText(draft) !== configText(base);
  const picked = fleet.filter((g) => targets.has(g.id));

  const push = (): void => {
    setBusy(true);
    setRows(picked.map((g) => ({ gateway: g, state: { kind: 'pending' } })));
    pushConfig(
      picked.map((g) => g.id),
      draft,
    )
      .then((results) =>
        setRows(
          picked.map((g) => {
            const result = results.find((r) => r.gatewayId === g.id);
            const state: PushState = result
              ? { kind: 'done', result }
              : { kind: 'failed', error: t('fleet.push.noResult') };
            return { gateway: g, state };
          }),
        ),
      )
      .catch((err: unknown) => {
        const error = actionErrorText(err, t('fleet.do.push'), 'engineer', t);
        setRows(picked.map((g) => ({ gateway: g, state: { kind: 'failed', error } })));
      })
      .finally(() => {
        setBusy(false);
        onPushed();
      });
  };

  return (
    <section className="config-editor" data-testid="config-editor" aria-label={t('fleet.edit.title')}>
      <div className="fleet-head">
        <h4>{t('fleet.edit.heading', { version: String(latest) })}</h4>
        <button type="button" aria-pressed={raw === undefined} onClick={() => setRaw(undefined)}>
          {t('fleet.edit.structured')}
        </button>
        <button
          type="button"
          aria-pressed={raw !== undefined}
          onClick={() => {
            setRawError(undefined);
            setRaw(configText(draft));
          }}
        >
          {t('fleet.edit.advanced')}
        </button>
        {changed ? (
          <button type="button" onClick={() => setDraft(base)}>
            {t('fleet.edit.discard')}
          </button>
        ) : null}
      </div>
      {raw === undefined ? (
        <ConfigTree config={draft} onChange={setDraft} />
      ) : (
        <div className="config-raw">
          <label>
            {t('fleet.edit.rawLabel')}
            <textarea
              className="mono"
              rows={20}
              spellCheck={false}
              value={raw}
              onChange={(e) => setRaw(e.target.value)}
            />
          </label>
          <button
            type="button"
            onClick={() => {
              const r = parseConfigText(raw);
              if (r.ok) {
                setDraft(r.config);
                setRawError(undefined);
                setRaw(undefined);
              } else {
                setRawError(
                  r.syntax !== undefined
                    ? t('fleet.edit.syntax', { detail: r.syntax })
                    : issueText(r.issue!, t),
                );
              }
            }}
          >
            {t('fleet.edit.applyText')}
          </button>
          {rawError !== undefined ? (
            <p className="alarm-error" role="alert">
              {rawError}
            </p>
          ) : null}
        </div>
      )}
      {issues.length > 0 ? (
        <ul className="alarm-error config-issues" role="alert" aria-label={t('fleet.edit.issues')}>
          {issues.map((i) => (
            <li key={`${i.path}:${i.kind}`}>{issueText(i, t)}</li>
          ))}
        </ul>
      ) : null}
      <fieldset className="push-targets">
        <legend>{t('fleet.push.targets')}</legend>
        {fleet.map((g) => (
          <label key={g.id} className="check">
            <input
              type="checkbox"
              checked={targets.has(g.id)}
              onChange={(e) =>
                setTargets((s) => {
                  const next = new Set(s);
                  if (e.target.checked) next.add(g.id);
                  else next.delete(g.id);
                  return next;
                })
              }
            />
            {g.name}{' '}
            <span className="muted mono">
              {g.site}.{g.node}
            </span>
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="primary"
        disabled={busy || !changed || issues.length > 0 || picked.length === 0 || raw !== undefined}
        onClick={push}
      >
        {t('fleet.push.button', { count: picked.length })}
      </button>{' '}
      {!changed ? <span className="muted">{t('fleet.edit.unchanged')}</span> : null}
      {raw !== undefined ? <span className="muted">{t('fleet.edit.applyFirst')}</span> : null}
      <PushStatus
        rows={rows}
        onLate={(id, late) =>
          setRows((rs) =>
            rs.map((r) =>
              r.gateway.id === id && r.state.kind === 'done' ? { ...r, state: { ...r.state, late } } : r,
            ),
          )
        }
      />
      <TagsCsv gateway={gateway} config={base} onPushed={onPushed} />
    </section>
  );
}
