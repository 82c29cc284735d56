import { useEffect, useState, type FormEvent } from 'react';
import { login, singleSignOn, takeLoginError } from './auth-api.js';
import { useT } from '../i18n/i18n-context.js';
import { LanguageSwitch } from '../i18n/language-switch.js';

/** Name and password; the server's answer (wrong password, locked for a while) is shown as it is. */
export function LoginPage({ onDone }: { onDone: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>(takeLoginError);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState<{ enabled: boolean; label?: string }>({ enabled: false });
  useEffect(() => {
    const abort = new AbortController();
    singleSignOn(abort.signal).then(setSso, () => undefined);
    return () => abort.abort();
  }, []);
  // Back to where the user was (the hash keeps the page and view) once signed in.
  const ssoHref = `/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(`/${window.location.hash}`)}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(name.trim(), password);
      setPassword('');
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page" data-testid="login-page">
      <form className="auth-card" onSubmit={(e) => void submit(e)}>
        {/* Before login there is no header: the language is chosen here. */}
        <LanguageSwitch />
        <h1>{t('auth.loginTitle')}</h1>
        {sso.enabled ? (
          <>
            <a className="button primary sso" href={ssoHref} data-testid="sso-login">
              {t('auth.sso', { label: sso.label ?? 'SSO' })}
            </a>
            <p className="hint">{t('auth.or')}</p>
          </>
        ) : null}
        <label>
          {t('auth.name')}
          <input
            name="username"
            autoComplete="username"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('auth.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error ? (
          <p className="auth-error" role="alert" data-testid="auth-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy || !name || !password}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </main>
  );
}
