import { useState } from 'react';
import { useT } from '../i18n/i18n-context.js';
import { writeTag, type Gateway, type SampleValue, type WriteResult } from './fleet-api.js';
import { parseWriteValue, writeErrorText, writeOutcomeText, writeRestatement } from './fleet-logic.js';

/**
 * Writes a live tag in two steps: the form, then a confirm that restates the value and where it
 * goes. The server checks the tag's type and limits before sending, and its refusal is shown.
 */
export function TagWrite({ gateway }: { gateway: Gateway }) {
  const t = useT();
  const [tag, setTag] = useState('');
  const [text, setText] = useState('');
  const [pending, setPending] = useState<{ tag: string; value: SampleValue }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<WriteResult>();
  const [error, setError] = useState<string>();
  const parsed = parseWriteValue(text, t);

  return (
    <div className="tag-write">
      <h4>{t('fleet.write.title')}</h4>
      <form
        className="alarm-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!parsed.ok || tag.trim() === '') return;
          setResult(undefined);
          setError(undefined);
          setPending({ tag: tag.trim(), value: parsed.value });
        }}
      >
        <label>
          {t('fleet.write.tag')}
          <input
            value={tag}
            required
            onChange={(e) => setTag(e.target.value)}
            placeholder={t('fleet.write.tagPlaceholder')}
          />
        </label>
        <label>
          {t('fleet.write.value')}
          <input
            value={text}
            required
            onChange={(e) => setText(e.target.value)}
            placeholder={t('fleet.write.valuePlaceholder')}
          />
        </label>
        <button type="submit" disabled={busy || pending !== undefined || tag.trim() === '' || !parsed.ok}>
          {t('fleet.write.open')}
        </button>
        {text.trim() !== '' && !parsed.ok ? <span className="muted">{parsed.error}</span> : null}
      </form>
      {pending !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label={t('fleet.write.confirm')}>
          <p>{writeRestatement(pending.value, pending.tag, gateway, t)}</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              writeTag(gateway.id, pending.tag, pending.value)
                .then(setResult)
                .catch((err: unknown) => setError(writeErrorText(err, t)))
                .finally(() => {
                  setBusy(false);
                  setPending(undefined);
                });
            }}
          >
            {t('fleet.write.confirm')}
          </button>
          <button type="button" disabled={busy} onClick={() => setPending(undefined)}>
            {t('fleet.cancel')}
          </button>
        </div>
      ) : null}
      {result !== undefined ? (
        <p className={result.ok ? 'ack-ok' : 'alarm-error'} role="status">
          {writeOutcomeText(result, t)}
        </p>
      ) : null}
      {error !== undefined ? (
        <p className="alarm-error write-refused" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
