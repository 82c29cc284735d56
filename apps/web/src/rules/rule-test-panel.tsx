import { useState } from 'react';
import { actionErrorText } from '../alarms/http.js';
import { useT } from '../i18n/i18n-context.js';
import { ProblemList } from './problem-list.js';
import { parseActions, parseJsonText, type RuleProblem } from './rule-logic.js';
import { testRule, type RuleTestReply } from './rules-api.js';

const SAMPLE_PAYLOAD = `{
  "ts": 1764300000000,
  "values": { "flow": 123.4, "pressure": 3.2 }
}`;

/** "Run test": the rule on one sample message; nothing is published or stored. */
export function RuleTestPanel({ sql, actionsJson }: { sql: string; actionsJson: string }) {
  const t = useT();
  const [topic, setTopic] = useState('ws/v1/north/plc1/pumps/data');
  const [payload, setPayload] = useState(SAMPLE_PAYLOAD);
  const [clientid, setClientid] = useState('edge-north-1');
  const [reply, setReply] = useState<RuleTestReply>();
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const run = async (): Promise<void> => {
    setError(undefined);
    setReply(undefined);
    const actions = parseActions(actionsJson);
    const body = parseJsonText(payload, 'payload');
    const local = [...(actions.ok ? [] : [actions.problem]), ...(body.ok ? [] : [body.problem])];
    setProblems(local);
    if (!actions.ok || !body.ok) return;
    setBusy(true);
    try {
      setReply(await testRule(sql, actions.value, { topic, payload: body.value, clientid }));
    } catch (err) {
      setError(actionErrorText(err, t('rules.do.test'), 'engineer', t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="rule-test" data-testid="rule-test">
      <h3>{t('rules.test.title')}</h3>
      <div className="rule-test-context">
        <label>
          {t('rules.test.topic')}
          <input className="mono" value={topic} onChange={(e) => setTopic(e.target.value)} />
        </label>
        <label>
          {t('rules.test.clientId')}
          <input className="mono" value={clientid} onChange={(e) => setClientid(e.target.value)} />
        </label>
      </div>
      <label>
        {t('rules.test.payload')}
        <textarea
          className="mono"
          rows={5}
          spellCheck={false}
          value={payload}
          onChange={(e) => setPayload(e.target.value)}
        />
      </label>
      <ProblemList problems={problems.filter((p) => p.path === 'payload')} text={payload} />
      <ProblemList problems={problems.filter((p) => p.path !== 'payload')} text={actionsJson} />
      <button type="button" disabled={busy} onClick={() => void run()}>
        {busy ? t('rules.test.running') : t('rules.test.run')}
      </button>
      {error !== undefined ? (
        <p className="alarm-error" role="alert">
          {error}
        </p>
      ) : null}
      {reply ? (
        <div className="rule-test-result" data-testid="rule-test-result">
          <p>
            {reply.errors.length > 0
              ? t('rules.test.cannotRun')
              : !reply.matched
                ? t('rules.test.noMatch')
                : reply.rows.length === 0
                  ? t('rules.test.noRows')
                  : reply.rows.length === 1
                    ? t('rules.test.oneRow')
                    : t('rules.test.rows', { count: reply.rows.length })}
          </p>
          <ProblemList problems={reply.errors} text={sql} />
          {reply.rows.length > 0 ? (
            <pre className="mono rule-rows">{reply.rows.map((r) => JSON.stringify(r)).join('\n')}</pre>
          ) : null}
          {reply.actions.map((a) => (
            <div key={a.index} className="rule-effect">
              <strong>{t('rules.test.action', { n: a.index + 1, type: a.type })}</strong>
              {a.problem ? <ProblemList problems={[a.problem]} /> : null}
              {a.effects.length === 0 && !a.problem ? (
                <span className="muted">{t('rules.test.nothing')}</span>
              ) : null}
              {a.effects.length > 0 ? (
                <pre className="mono">{a.effects.map((e) => JSON.stringify(e)).join('\n')}</pre>
              ) : null}
            </div>
          ))}
        </div>
      ) : null}
    </section>
  );
}
