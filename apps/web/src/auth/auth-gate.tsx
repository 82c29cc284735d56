import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchSession, logout, type Session } from './auth-api.js';
import { ChangePasswordPage } from './change-password-page.js';
import { LoginPage } from './login-page.js';
import { SessionContext, UNAUTHENTICATED_EVENT, type SessionValue } from './session-context.js';
import { useT } from '../i18n/i18n-context.js';
import './auth.css';

const RETRY_MS = 3000;

/**
 * Shows the console only to a logged-in user who need not change the password: otherwise the
 * login page or the password-change page, as GET /api/v1/auth/me decides. Checks again whenever
 * the API client sees a 401 (the session expired or was ended elsewhere).
 */
export function AuthGate({ children, onSignedIn }: { children: ReactNode; onSignedIn?: () => void }) {
  const t = useT();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [check, setCheck] = useState(0);
  const recheck = useCallback(() => setCheck((n) => n + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    fetchSession(abort.signal).then(
      (s) => {
        setSession(s);
        if (s.state === 'unreachable') timer = setTimeout(recheck, RETRY_MS);
      },
      () => undefined, // aborted: a newer check is running
    );
    return () => {
      abort.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [check, recheck]);

  useEffect(() => {
    window.addEventListener(UNAUTHENTICATED_EVENT, recheck);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, recheck);
  }, [recheck]);

  const ready = session.state === 'ready';
  useEffect(() => {
    if (ready) onSignedIn?.();
  }, [ready, onSignedIn]);

  const value = useMemo<SessionValue | null>(
    () =>
      session.state === 'ready'
        ? {
            me: session.me,
            logout: async () => {
              await logout().catch(() => undefined); // the cookie is cleared either way on the next check
              recheck();
            },
          }
        : null,
    [session, recheck],
  );

  switch (session.state) {
    case 'checking':
      return (
        <main className="state-page" role="status" data-testid="session-check">
          <div className="spinner" aria-hidden="true" />
          <p>{t('auth.checking')}</p>
        </main>
      );
    case 'unreachable':
      // The same page the console shows when it loses the server: it recovers by itself.
      return (
        <main className="state-page is-error" data-testid="load-error">
          <h2>{t('app.unreachableTitle')}</h2>
          <p className="hint">{t('app.unreachableHint')}</p>
        </main>
      );
    case 'anonymous':
      return <LoginPage onDone={recheck} />;
    case 'must-change':
      return <ChangePasswordPage name={session.me.user.name} onDone={recheck} />;
    case 'ready':
      return <SessionContext value={value}>{children}</SessionContext>;
  }
}
