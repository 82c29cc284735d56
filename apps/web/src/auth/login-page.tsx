import { useState, type FormEvent } from 'react';
import { login } from './auth-api.js';
import { AUTH_TEXT as T } from './strings.js';

/** Name and password; the server's answer (wrong password, locked for a while) is shown as it is. */
export function LoginPage({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

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
        <h1>{T.loginTitle}</h1>
        <label>
          {T.name}
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
          {T.password}
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
          {busy ? T.signingIn : T.signIn}
        </button>
      </form>
    </main>
  );
}
