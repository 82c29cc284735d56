import { useRef, useState } from 'react';
import { useT } from '../i18n/i18n-context.js';

/**
 * A secret the server hands out once — an initial password, an API key — with a copy button.
 * It stays on screen until dismissed (never in a toast that fades before it is copied), and is
 * dropped from the page's state when closed: it cannot be shown again.
 */
export function SecretOnce({
  label,
  message,
  secret,
  onClose,
}: {
  label: string;
  message: string;
  secret: string;
  onClose: () => void;
}) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const code = useRef<HTMLElement>(null);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (plain http, or permission refused): select it for a manual copy.
      const el = code.current;
      if (el !== null) window.getSelection()?.selectAllChildren(el);
      setCopied('failed');
    }
  };

  return (
    <div className="secret-once" role="alert" data-testid="secret-once">
      <p>{message}</p>
      <div className="secret-row">
        <span className="secret-label">{label}</span>
        <code ref={code} data-testid="secret-value">
          {secret}
        </code>
        <button type="button" onClick={() => void copy()}>
          {copied === 'yes' ? t('users.copied') : t('users.copy')}
        </button>
        <button type="button" onClick={onClose}>
          {t('users.close')}
        </button>
      </div>
      <p className="hint">{copied === 'failed' ? t('users.copyFailed') : t('users.secret.once')}</p>
    </div>
  );
}

/** A button that asks before it acts: the first click shows the question and Yes / Cancel. */
export function ConfirmButton({
  label,
  question,
  onConfirm,
  disabled,
  danger,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  danger?: boolean;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button
        type="button"
        className={danger ? 'danger' : undefined}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span className="confirm" role="group">
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className={danger ? 'danger' : 'primary'}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t('users.cancel')}
      </button>
    </span>
  );
}
