import { createContext, useContext } from 'react';
import type { Me } from './auth-api.js';

export interface SessionValue {
  me: Me;
  /** Ends the session on the server and shows the login page. */
  logout: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (s === null) throw new Error('useSession outside <AuthGate>');
  return s;
}

/** Fired by the API client when the server answers 401: the session ended (logout elsewhere, expiry). */
export const UNAUTHENTICATED_EVENT = 'watershed:unauthenticated';
