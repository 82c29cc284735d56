import { useState } from 'react';
import { actionErrorText, HttpError } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import { ProblemList } from './problem-list.js';
import {
  ACTIONS_EXAMPLE,
  draftOf,
  parseActions,
  problemsByField,
  type RuleProblem,
  type RuleView,
} from './rule-logic.js';
import { RuleTestPanel } from './rule-test-panel.js';
import { createRule, getRule, updateRule, type RuleBody } from './rules-api.js';

interface Props {
  /** The rule being changed; undefined for a new one. */
  rule: RuleView | undefined;
  onSaved: (rule: RuleView) => void;
  onClose: () => void;
}

/**
 * Name, SQL, actions (JSON) and description of one rule. The server validates on save; its
 * problems appear under the field they are about, SQL ones with the line and a caret. Saving
 * sends the revision the edit started from, so a change someone else saved meanwhile is not
 * overwritten (409): the user is told and may reload.
 */
export function RuleEditor({ rule, onSaved, onClose }: Props) {
  const t = useT();
  const [base, setBase] = useState(rule);
  const [draft, setDraft] = useState(() => draftOf(rule));
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState(false);
  const by = problemsByField(problems);

  const save = async (): Promise<void> => {
    setError(undefined);
    setConflict(false);
    const actions = parseActions(draft.actionsJson);
    if (!actions.ok) {
      setProblems([actions.problem]);
      return;
    }
    setProblems([]);
    const body: RuleBody = {
      name: draft.name.trim(),
      sql: draft.sql,
      actions: actions.value,
      ...(draft.description.trim() !== '' && { description: draft.description.trim() }),
    };
    setBusy(true);
    try {
      const saved = base ? await updateRule(base.id, base.revision, body) : await createRule(body);
      setBase(saved);
      onSaved(saved);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409 && base) setConflict(true);
      else if (err instanceof HttpError && err.status === 400 && hasProblems(err.body))
        setProblems(err.body.problems);
      else setError(actionErrorText(err, t('rules.do.save'), 'engineer', t));
    } finally {
      setBusy(false);
    }
  };

  const reload = async (): Promise<void> => {
    if (!base) return;
    try {
      const fresh = await getRule(base.id);
      setBase(fresh);
      setDraft(draftOf(fresh));
      setConflict(false);
      setProblems([]);
    } catch (err) {
      setError(actionErrorText(err, t('rules.do.reload'), undefined, t));
    }
  };

  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <section className="rule-editor" data-testid="rule-editor">
      <header className="rule-editor-head">
        <h2>{base ? t('rules.edit', { name: base.name }) : t('rules.new')}</h2>
        {base ? (
          <span className="muted">{t('rules.revision', { revision: String(base.revision) })}</span>
        ) : null}
        <button type="button" onClick={onClose}>
          {t('rules.close')}
        </button>
      </header>
      {base?.origin === 'config' ? <p className="muted">{t('rules.fromConfig')}</p> : null}
      <label>
        {t('rules.name')}
        <input value={draft.name} maxLength={200} onChange={set('name')} />
      </label>
      <ProblemList problems={by.name} />
      <label>
        {t('rules.sql')}
        <textarea className="mono" rows={8} spellCheck={false} value={draft.sql} onChange={set('sql')} />
      </label>
      <ProblemList problems={by.sql} text={draft.sql} />
      <label>
        {t('rules.actions')}
        <textarea
          className="mono"
          rows={6}
          spellCheck={false}
          value={draft.actionsJson}
          onChange={set('actionsJson')}
        />
      </label>
      <details className="muted">
        <summary>{t('rules.example')}</summary>
        <pre className="mono">{ACTIONS_EXAMPLE}</pre>
      </details>
      <ProblemList problems={by.actions} text={draft.actionsJson} />
      <label>
        {t('rules.description')}
        <textarea rows={2} value={draft.description} maxLength={2000} onChange={set('description')} />
      </label>
      <ProblemList problems={[...by.description, ...by.other]} />
      {conflict ? (
        <p className="alarm-error" role="alert">
          {t('rules.conflict')}{' '}
          <button type="button" onClick={() => void reload()}>
            {t('rules.reloadTheirs')}
          </button>{' '}
          {t('rules.conflictHint')}
        </p>
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="rule-editor-buttons">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          {busy ? t('rules.saving') : t('rules.save')}
        </button>
      </div>
      <RuleTestPanel sql={draft.sql} actionsJson={draft.actionsJson} />
    </section>
  );
}

function hasProblems(body: unknown): body is { problems: RuleProblem[] } {
  return (
    typeof body === 'object' && body !== null && Array.isArray((body as { problems?: unknown }).problems)
  );
}
