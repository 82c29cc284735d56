import { loadBrokerConfig } from '../config/load.js';
import { startBroker, type RunningBroker } from '../configured-broker.js';
import { hashPassword } from '../auth/password.js';
import { makePki, type Pki } from './peers.js';

export const USER = 'edge';
export const PASSWORD = 'pump-station-7';
export const CLIENT_CN = 'plant-7';

export interface InteropBroker {
  readonly running: RunningBroker;
  readonly pki: Pki;
  port(name: 'tcp' | 'tls' | 'ws' | 'mtls' | 'mwss'): number;
  close(): Promise<void>;
}

/**
 * The broker as the interop suites see it, built from config like a deployment: password
 * users on TCP, TLS and WebSocket, a mutual-TLS listener where the certificate CN is the
 * username, and an ACL that denies `secret/#` to everyone and confines `%u/…` topics.
 */
export async function startInteropBroker(): Promise<InteropBroker> {
  const pki = await makePki(CLIENT_CN);
  const local = { host: '127.0.0.1', port: 0 };
  const config = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      flapping: { enabled: false },
      users: [{ username: USER, passwordHash: await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }) }],
      listeners: [
        { ...local, name: 'tcp', type: 'tcp' },
        { ...local, name: 'tls', type: 'tls', certFile: pki.certFile, keyFile: pki.keyFile },
        { ...local, name: 'ws', type: 'ws' },
        {
          ...local,
          name: 'mtls',
          type: 'tls',
          certFile: pki.certFile,
          keyFile: pki.keyFile,
          caFile: pki.caFile,
          requestClientCert: true,
          auth: { sources: ['certificate'] },
          acl: { default: 'deny' },
        },
        {
          ...local,
          name: 'mwss',
          type: 'wss',
          certFile: pki.certFile,
          keyFile: pki.keyFile,
          caFile: pki.caFile,
          requestClientCert: true,
          auth: { sources: ['certificate'] },
          acl: { default: 'deny' },
        },
      ],
      acl: [
        { permission: 'deny', action: 'all', topic: 'secret/#' },
        { permission: 'allow', action: 'all', topic: 'plants/%u/#' },
        { permission: 'allow', action: 'all', topic: '#', who: { username: USER } },
      ],
    },
  });
  const running = await startBroker(config);
  const ports = new Map(running.listeners.map((l) => [l.name, l.port]));
  return {
    running,
    pki,
    port: (name) => ports.get(name)!,
    close: () => running.close(),
  };
}

/** Resolves when the broker has recorded a subscription to `filter` (the peer is ready). */
export function subscribed(b: InteropBroker, filter: string): Promise<void> {
  return new Promise((resolve) => {
    const off = b.running.broker.on('session_subscribed', (s) => {
      if (s.filter === filter) {
        off();
        resolve();
      }
    });
  });
}
