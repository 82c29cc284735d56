import { useState, type FormEvent } from 'react';
import { changePassword } from './auth-api.js';
import { useT } from '../i18n/i18n-context.js';
import { MIN_PASSWORD_LENGTH } from './strings.js';

/**
 * The first-login (or after-reset) password change: until it is done the server refuses
 * everything but this, so the console is not shown.
 */
export function ChangePasswordPage({ name, onDone }: { name: string; onDone: () => void }) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if ([...next].length < MIN_PASSWORD_LENGTH)
      return setError(t('auth.tooShort', { min: MIN_PASSWORD_LENGTH }));
    if (next !== confirm) return setError(t('auth.mismatch'));
    setBusy(true);
    setError(undefined);
    try {
      await changePassword(current, next);
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page" data-testid="change-password-page">
      <form className="auth-card" onSubmit={(e) => void submit(e)}>
        <h1>{t('auth.changeTitle')}</h1>
        <p className="auth-intro">{t('auth.changeIntro')}</p>
        {/* For password managers: which account the new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={name} readOnly hidden />
        <label>
          {t('auth.current')}
          <input
            name="current"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('auth.newPassword')}
          <input
            name="new"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            required
          />
        </label>
        <label>
          {t('auth.confirm')}
          <input
            name="confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            required
          />
        </label>
        {error ? (
          <p className="auth-error" role="alert" data-testid="auth-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !current || !next || !confirm}>
          {busy ? t('auth.changing') : t('auth.change')}
        </button>
      </form>
    </main>
  );
}
