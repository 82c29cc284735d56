import { useState } from 'react';
import { writeTag, type Gateway, type SampleValue, type WriteResult } from './fleet-api.js';
import { parseWriteValue, writeErrorText, writeOutcomeText, writeRestatement } from './fleet-logic.js';

/**
 * Writes a live tag in two steps: the form, then a confirm that restates the value and where it
 * goes. The server checks the tag's type and limits before sending, and its refusal is shown.
 */
export function TagWrite({ gateway }: { gateway: Gateway }) {
  const [tag, setTag] = useState('');
  const [text, setText] = useState('');
  const [pending, setPending] = useState<{ tag: string; value: SampleValue }>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<WriteResult>();
  const [error, setError] = useState<string>();
  const parsed = parseWriteValue(text);

  return (
    <div className="tag-write">
      <h4>Write a tag</h4>
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
          Tag (group.tag)
          <input
            value={tag}
            required
            onChange={(e) => setTag(e.target.value)}
            placeholder="e.g. pumps.speed_sp"
          />
        </label>
        <label>
          Value
          <input
            value={text}
            required
            onChange={(e) => setText(e.target.value)}
            placeholder='42, true or "auto"'
          />
        </label>
        <button type="submit" disabled={busy || pending !== undefined || tag.trim() === '' || !parsed.ok}>
          Write…
        </button>
        {text.trim() !== '' && !parsed.ok ? <span className="muted">{parsed.error}</span> : null}
      </form>
      {pending !== undefined ? (
        <div className="confirm" role="alertdialog" aria-label="Confirm write">
          <p>{writeRestatement(pending.value, pending.tag, gateway)}</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              writeTag(gateway.id, pending.tag, pending.value)
                .then(setResult)
                .catch((err: unknown) => setError(writeErrorText(err)))
                .finally(() => {
                  setBusy(false);
                  setPending(undefined);
                });
            }}
          >
            Confirm write
          </button>
          <button type="button" disabled={busy} onClick={() => setPending(undefined)}>
            Cancel
          </button>
        </div>
      ) : null}
      {result !== undefined ? (
        <p className={result.ok ? 'ack-ok' : 'alarm-error'} role="status">
          {writeOutcomeText(result)}
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
