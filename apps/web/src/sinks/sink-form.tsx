import { useState } from 'react';
import { actionErrorText, HttpError } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import type { Translate } from '../i18n/translate.js';
import { COMMON_FIELDS, SINK_TYPES, TYPE_FIELDS, isSinkType, type SinkField } from './sink-fields.js';
import {
  SINK_ID,
  configFromForm,
  formFromConfig,
  problemsByField,
  serverProblems,
  type FormProblem,
  type FormValues,
} from './sink-logic.js';
import {
  createSink,
  testNewSink,
  testSavedSink,
  updateSink,
  type SinkProblem,
  type SinkView,
} from './sinks-api.js';

interface Props {
  /** The sink being edited; undefined for a new one. */
  sink: SinkView | undefined;
  onSaved: (sink: SinkView) => void;
  onClose: () => void;
}

type Shown = { path: string; text: string };

/**
 * Create or edit one sink: fields generated from the type's field list (sink-fields.ts), checked
 * in the browser where that is easy, then by the server against the type's own schema, whose
 * problems appear beside the field they name (`/url`). Secrets come back masked and stay so
 * unless retyped. "Test connection" checks the config as typed, without saving it.
 */
export function SinkForm({ sink, onSaved, onClose }: Props) {
  const t = useT();
  const [base, setBase] = useState(sink);
  const [id, setId] = useState(sink?.id ?? '');
  const [type, setType] = useState<string>(sink?.type ?? 'http');
  const [enabled, setEnabled] = useState(true);
  const [values, setValues] = useState<FormValues>(() => formFromConfig(sink?.type ?? 'http', sink?.config));
  const [problems, setProblems] = useState<Shown[]>([]);
  const [error, setError] = useState<string>();
  const [tested, setTested] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<'save' | 'test'>();
  const by = problemsByField(type, problems);
  const readOnly = base?.origin === 'file';
  const label = base?.id ?? id;

  /** The config as typed, or the browser's problems with it (shown, nothing sent). */
  const typed = (): Record<string, unknown> | undefined => {
    const found: Shown[] = [];
    if (!base && !SINK_ID.test(id)) found.push({ path: '/id', text: t('sinks.check.id') });
    const r = configFromForm(type, values, base?.config ?? {});
    found.push(...r.problems.map((p) => ({ path: p.path, text: formText(p, t) })));
    setProblems(found);
    return found.length > 0 ? undefined : r.config;
  };

  const fromServer = (err: unknown): boolean => {
    const list = err instanceof HttpError ? serverProblems(err.body) : [];
    if (list.length === 0) return false;
    setProblems(list.map((p: SinkProblem) => ({ path: p.path, text: p.message })));
    return true;
  };

  const save = async (): Promise<void> => {
    setError(undefined);
    setTested(undefined);
    const config = typed();
    if (!config) return;
    setBusy('save');
    try {
      const saved = base
        ? await updateSink(base.id, base.revision ?? 1, config)
        : await createSink({ id, type, enabled, config });
      setBase(saved);
      setValues(formFromConfig(saved.type, saved.config));
      onSaved(saved);
    } catch (err) {
      if (fromServer(err)) return;
      if (err instanceof HttpError && err.status === 409 && base)
        setError(t('sinks.conflict', { id: base.id }));
      else setError(actionErrorText(err, t('sinks.do.save', { id: label }), 'engineer', t));
    } finally {
      setBusy(undefined);
    }
  };

  const test = async (): Promise<void> => {
    setError(undefined);
    setTested(undefined);
    const config = readOnly ? undefined : typed();
    if (!config && !readOnly) return;
    setBusy('test');
    try {
      const r = base ? await testSavedSink(base.id, config) : await testNewSink(type, config!);
      const text = r.ok
        ? t('sinks.test.ok', { id: label || type, ms: Math.round(r.ms), detail: r.detail })
        : t('sinks.test.fail', { id: label || type, detail: r.detail });
      setTested({ ok: r.ok, text });
    } catch (err) {
      if (!fromServer(err))
        setError(actionErrorText(err, t('sinks.do.test', { id: label || type }), 'engineer', t));
    } finally {
      setBusy(undefined);
    }
  };

  const field = (f: SinkField) => (
    <FieldInput
      key={f.path}
      field={f}
      value={values[f.path]}
      disabled={readOnly}
      problems={by.get(`/${f.path.split('.').join('/')}`) ?? []}
      onChange={(v) => setValues((old) => ({ ...old, [f.path]: v }))}
    />
  );

  const own = isSinkType(type) ? TYPE_FIELDS[type] : [];
  return (
    <section
      className="sink-form"
      aria-label={base ? t('sinks.form.titleEdit', { id: base.id }) : t('sinks.form.titleNew')}
      data-testid="sink-form"
    >
      <h3>{base ? t('sinks.form.titleEdit', { id: base.id }) : t('sinks.form.titleNew')}</h3>
      {readOnly ? <p className="hint">{t('sinks.origin.fileHint')}</p> : null}
      {!base ? (
        <div className="sink-form-row">
          <label>
            {t('sinks.form.id')}
            <input value={id} onChange={(e) => setId(e.target.value)} aria-invalid={by.has('/id')} />
            <span className="hint">{t('sinks.form.idHint')}</span>
            {(by.get('/id') ?? []).map((p, i) => (
              <span key={i} className="alarm-error">
                {p.text}
              </span>
            ))}
          </label>
          <label>
            {t('sinks.form.type')}
            <select
              value={type}
              onChange={(e) => {
                setType(e.target.value);
                setValues(formFromConfig(e.target.value, {}));
                setProblems([]);
              }}
            >
              {SINK_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`sinks.type.${x}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="switch">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            {t('sinks.form.enabled')}
          </label>
        </div>
      ) : (
        <p className="muted">
          {isSinkType(type) ? t(`sinks.type.${type}`) : type}
          {' · '}
          {t('sinks.form.swapHint')}
        </p>
      )}
      {own.length === 0 ? <p className="hint">{t('sinks.form.noFields')}</p> : null}
      <div className="sink-fields">{own.map(field)}</div>
      <details>
        <summary>{t('sinks.form.advanced')}</summary>
        <div className="sink-fields">{COMMON_FIELDS.map(field)}</div>
      </details>
      {(by.get('') ?? []).length > 0 ? (
        <div className="alarm-error" role="alert">
          {t('sinks.form.otherProblems')}
          <ul>
            {by.get('')!.map((p, i) => (
              <li key={i}>
                <code>{p.path || '/'}</code> {p.text}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      {tested ? (
        <p
          className={tested.ok ? 'sink-test-ok' : 'alarm-error'}
          role="status"
          data-testid="sink-test-result"
        >
          {tested.text}
        </p>
      ) : null}
      <div className="alarm-buttons">
        {!readOnly ? (
          <button type="button" className="primary" disabled={busy !== undefined} onClick={() => void save()}>
            {busy === 'save' ? t('sinks.form.saving') : t('sinks.form.save')}
          </button>
        ) : null}
        <button type="button" disabled={busy !== undefined} onClick={() => void test()}>
          {busy === 'test' ? t('sinks.test.running') : t('sinks.form.test')}
        </button>
        <button type="button" onClick={onClose}>
          {t('sinks.form.close')}
        </button>
      </div>
    </section>
  );
}

function formText(p: FormProblem, t: Translate): string {
  return t(p.key, p.params);
}

function FieldInput({
  field: f,
  value,
  disabled,
  problems,
  onChange,
}: {
  field: SinkField;
  value: string | boolean | undefined;
  disabled: boolean;
  problems: readonly Shown[];
  onChange: (v: string | boolean) => void;
}) {
  const t = useT();
  const text = typeof value === 'string' ? value : '';
  const invalid = problems.length > 0;
  const common = { disabled, 'aria-invalid': invalid, name: f.path } as const;
  let input;
  if (f.kind === 'boolean')
    return (
      <label className="switch">
        <input
          type="checkbox"
          {...common}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        {t(f.label)}
      </label>
    );
  if (f.kind === 'select')
    input = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">—</option>
        {f.options!.map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  else if (f.kind === 'map' || f.kind === 'textarea')
    input = (
      <textarea
        {...common}
        className="mono"
        rows={3}
        value={text}
        placeholder={f.placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  else
    input = (
      <input
        {...common}
        type={f.kind === 'secret' ? 'password' : f.kind === 'number' ? 'number' : 'text'}
        autoComplete={f.kind === 'secret' ? 'new-password' : 'off'}
        required={f.required}
        value={text}
        placeholder={f.placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <label>
      {t(f.label)}
      {f.required ? ' *' : ''}
      {input}
      {text.includes('******') ? <span className="hint">{t('sinks.form.secretHint')}</span> : null}
      {problems.map((p, i) => (
        <span key={i} className="alarm-error">
          {p.text}
        </span>
      ))}
    </label>
  );
}
