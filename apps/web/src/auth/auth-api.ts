import { ApiError } from '../api/client.js';

export interface SessionUser {
  id: string;
  name: string;
  role: string;
  project: string;
}

export interface Me {
  kind: 'user' | 'apiKey';
  user: SessionUser;
  mustChangePassword: boolean;
}

/** Where the SPA stands with the server: decided by GET /api/v1/auth/me. */
export type Session =
  | { state: 'checking' }
  | { state: 'unreachable' }
  | { state: 'anonymous' }
  | { state: 'must-change'; me: Me }
  | { state: 'ready'; me: Me };

/** The session an answer of /auth/me means (401 → log in; 403 → only a password change is allowed). */
export function sessionFrom(status: number, body: unknown): Session {
  if (status === 200 && isMe(body))
    return body.mustChangePassword ? { state: 'must-change', me: body } : { state: 'ready', me: body };
  if (status === 401 || status === 403) return { state: 'anonymous' };
  return { state: 'unreachable' };
}

function isMe(b: unknown): b is Me {
  return typeof b === 'object' && b !== null && 'user' in b && 'mustChangePassword' in b;
}

/** The auth routes; the session itself travels in the HttpOnly `ws_session` cookie. */
export async function fetchSession(signal?: AbortSignal): Promise<Session> {
  try {
    const res = await fetch('/api/v1/auth/me', {
      signal: signal ?? null,
      headers: { accept: 'application/json' },
    });
    return sessionFrom(res.status, await res.json().catch(() => undefined));
  } catch (err) {
    if (signal?.aborted) throw err;
    return { state: 'unreachable' };
  }
}

/** Whether the server offers single sign-on, and the provider's name for the button. */
export async function singleSignOn(signal?: AbortSignal): Promise<{ enabled: boolean; label?: string }> {
  try {
    const res = await fetch('/api/v1/auth/oidc', {
      signal: signal ?? null,
      headers: { accept: 'application/json' },
    });
    if (!res.ok) return { enabled: false };
    return (await res.json()) as { enabled: boolean; label?: string };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { enabled: false };
  }
}

/**
 * Why a single sign-on came back without a session: the server puts it in `?loginError=` (the
 * provider's redirect cannot carry a JSON answer). Read once and taken out of the address bar.
 */
export function takeLoginError(): string | undefined {
  const url = new URL(window.location.href);
  const error = url.searchParams.get('loginError');
  if (error === null) return undefined;
  url.searchParams.delete('loginError');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
  return error;
}

export async function login(name: string, password: string): Promise<void> {
  await post('/api/v1/auth/login', { name, password });
}

export async function changePassword(current: string, next: string): Promise<void> {
  await post('/api/v1/auth/password', { current, new: next });
}

export async function logout(): Promise<void> {
  await post('/api/v1/auth/logout', undefined);
}

async function post(path: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(path, undefined, 'server unreachable');
  }
  const answer: unknown = await res.json().catch(() => undefined);
  if (res.ok) return answer;
  const message = (answer as { message?: unknown } | undefined)?.message;
  throw new ApiError(path, res.status, typeof message === 'string' ? message : `HTTP ${res.status}`);
}
