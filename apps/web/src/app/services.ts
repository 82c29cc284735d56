import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';
import type { LiveStore } from '../live/live-store.js';
import type { LiveStream } from '../live/live-stream.js';

/** The long-lived objects the page shares: one API client, one live stream, one store of latest values. */
export interface Services {
  api: ApiClient;
  stream: LiveStream;
  store: LiveStore;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (s === null) throw new Error('useServices outside <ServicesContext>');
  return s;
}
