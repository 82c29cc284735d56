import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { usePoll } from '../fleet/use-poll.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import {
  brokerAcl,
  createAclRule,
  deleteAclRule,
  updateAclRule,
  type AclAction,
  type AclPermission,
  type AclRule,
} from './security-api.js';
import { aclBody, aclForm, EMPTY_RULE, movePosition, whoText, type AclForm } from './security-logic.js';

const REFRESH_MS = 15_000;
const PERMISSION: Record<AclPermission, MessageKey> = { allow: 'broker.acl.allow', deny: 'broker.acl.deny' };
const ACTION: Record<AclAction, MessageKey> = {
  publish: 'broker.acl.publish',
  subscribe: 'broker.acl.subscribe',
  all: 'broker.acl.all',
};
const WHO = ['username', 'clientId', 'role', 'ipCidr', 'listener'] as const;

/**
 * The ACL in evaluation order: console rules (added, edited, moved up and down, deleted after a
 * confirm) before the config file's (read-only), and each listener's default.
 */
export function AclTab() {
  const { t } = useI18n();
  const acl = usePoll((signal) => brokerAcl(signal), REFRESH_MS, 'acl');
  const [form, setForm] = useState<AclForm>(EMPTY_RULE);
  const [editing, setEditing] = useState<string>();
  const [confirm, setConfirm] = useState<AclRule>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();
  const checked = aclBody(form, t);
  const rules = acl.data?.rules ?? [];
  const editable = acl.data?.editable ?? false;

  const act = (what: string, run: () => Promise<string>): void => {
    setBusy(true);
    setMessage(undefined);
    run()
      .then((text) => {
        setMessage({ error: false, text });
        acl.reload();
      })
      .catch((err: unknown) => setMessage({ error: true, text: actionErrorText(err, what, undefined, t) }))
      .finally(() => setBusy(false));
  };
  const move = (rule: AclRule, step: -1 | 1): void => {
    const position = movePosition(rules, rule.id, step);
    if (position === undefined) return;
    act(t('broker.do.changeRule'), async () => {
      await updateAclRule(rule.id, { position });
      return t('broker.acl.moved');
    });
  };

  return (
    <section data-testid="broker-acl">
      {acl.data !== undefined && !editable ? <p className="muted">{t('broker.notEditable')}</p> : null}
      {acl.data !== undefined && editable && !acl.data.persistent ? (
        <p className="alarm-error">{t('broker.notPersistent')}</p>
      ) : null}
      {editable ? (
        <form
          className="alarm-form fleet-card"
          aria-label={editing !== undefined ? t('broker.edit') : t('broker.acl.add')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!checked.ok) return;
            const id = editing;
            if (id !== undefined)
              act(t('broker.do.changeRule'), async () => {
                // A cleared "who" field is sent as an empty object: the rule then names nobody.
                await updateAclRule(id, { ...checked.body, who: checked.body.who ?? {} });
                setEditing(undefined);
                setForm(EMPTY_RULE);
                return t('broker.acl.changed');
              });
            else
              act(t('broker.do.addRule'), async () => {
                await createAclRule(checked.body);
                setForm(EMPTY_RULE);
                return t('broker.acl.added');
              });
          }}
        >
          <RuleFields form={form} set={(patch) => setForm((f) => ({ ...f, ...patch }))} />
          <button type="submit" className="primary" disabled={busy || !checked.ok}>
            {editing !== undefined ? t('broker.save') : t('broker.acl.submit')}
          </button>
          {editing !== undefined ? (
            <button
              type="button"
              onClick={() => {
                setEditing(undefined);
                setForm(EMPTY_RULE);
              }}
            >
              {t('broker.cancel')}
            </button>
          ) : null}
          {!checked.ok && form.topic !== '' ? (
            <span className="alarm-error">{checked.error}</span>
          ) : (
            <span className="muted">{t('broker.acl.hint')}</span>
          )}
        </form>
      ) : null}
      {confirm !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label={t('broker.acl.deleteLabel')}>
          <p>
            {t('broker.acl.deleteText', {
              permission: t(PERMISSION[confirm.permission]),
              action: t(ACTION[confirm.action]),
              topic: confirm.topic,
            })}
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              const id = confirm.id;
              setConfirm(undefined);
              act(t('broker.do.deleteRule'), async () => {
                await deleteAclRule(id);
                return t('broker.acl.deleted');
              });
            }}
          >
            {t('broker.delete')}
          </button>
          <button type="button" onClick={() => setConfirm(undefined)}>
            {t('broker.cancel')}
          </button>
        </div>
      ) : null}
      {message !== undefined ? (
        <p className={message.error ? 'alarm-error' : 'muted'} role="status">
          {message.text}
        </p>
      ) : null}
      {acl.error !== undefined ? (
        <p className="alarm-error">{actionErrorText(acl.error, t('broker.do.acl'), undefined, t)}</p>
      ) : null}
      {acl.data !== undefined && rules.length === 0 ? (
        <p className="alarm-empty">{t('broker.acl.empty')}</p>
      ) : null}
      {rules.length > 0 ? (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('broker.acl.col.order')}</th>
              <th>{t('broker.acl.col.permission')}</th>
              <th>{t('broker.acl.col.action')}</th>
              <th>{t('broker.acl.col.topic')}</th>
              <th>{t('broker.acl.col.who')}</th>
              <th>{t('broker.acl.col.source')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} aria-selected={editing === r.id}>
                <td className="num">{r.index + 1}</td>
                <td className={r.permission === 'deny' ? 'alarm-error' : undefined}>
                  {t(PERMISSION[r.permission])}
                </td>
                <td>{t(ACTION[r.action])}</td>
                <td className="mono">{r.topic}</td>
                <td>{whoText(r.who, t)}</td>
                <td>{t(r.source === 'file' ? 'broker.source.file' : 'broker.source.runtime')}</td>
                <td>
                  {r.source === 'runtime' ? (
                    <>
                      <button
                        type="button"
                        aria-label={t('broker.acl.up')}
                        title={t('broker.acl.up')}
                        disabled={busy || movePosition(rules, r.id, -1) === undefined}
                        onClick={() => move(r, -1)}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        aria-label={t('broker.acl.down')}
                        title={t('broker.acl.down')}
                        disabled={busy || movePosition(rules, r.id, 1) === undefined}
                        onClick={() => move(r, 1)}
                      >
                        ↓
                      </button>{' '}
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => {
                          setEditing(r.id);
                          setForm(aclForm(r));
                        }}
                      >
                        {t('broker.edit')}
                      </button>{' '}
                      <button type="button" disabled={busy} onClick={() => setConfirm(r)}>
                        {t('broker.delete')}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {acl.data !== undefined && acl.data.listeners.length > 0 ? (
        <p className="muted">
          {t('broker.acl.listeners')}:{' '}
          {acl.data.listeners.map((l) => `${l.listener} → ${t(PERMISSION[l.aclDefault])}`).join(' · ')}
        </p>
      ) : null}
    </section>
  );
}

function RuleFields(props: { form: AclForm; set: (patch: Partial<AclForm>) => void }) {
  const { t } = useI18n();
  const { form, set } = props;
  return (
    <>
      <label>
        {t('broker.acl.permission')}
        <select
          value={form.permission}
          onChange={(e) => set({ permission: e.target.value as AclPermission })}
        >
          <option value="deny">{t('broker.acl.deny')}</option>
          <option value="allow">{t('broker.acl.allow')}</option>
        </select>
      </label>
      <label>
        {t('broker.acl.action')}
        <select value={form.action} onChange={(e) => set({ action: e.target.value as AclAction })}>
          {(['all', 'publish', 'subscribe'] as const).map((a) => (
            <option key={a} value={a}>
              {t(ACTION[a])}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('broker.acl.topic')}
        <input
          className="mono"
          value={form.topic}
          placeholder={t('broker.acl.topicPlaceholder')}
          onChange={(e) => set({ topic: e.target.value })}
        />
      </label>
      {WHO.map((key) => (
        <label key={key}>
          {t(`broker.acl.who.${key}`)}
          <input value={form[key]} onChange={(e) => set({ [key]: e.target.value })} />
        </label>
      ))}
    </>
  );
}
