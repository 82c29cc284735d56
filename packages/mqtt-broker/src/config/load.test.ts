import { Errors } from '@watershed/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { loadBrokerConfig } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'broker-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(Errors.CONFIG_INVALID.is(err)).toBe(true);
    return ((err as { details: { issues: { path: string }[] } }).details.issues ?? []).map((i) => i.path);
  }
  throw new Error('expected the config to be refused');
}

describe('broker config', () => {
  it('defaults to one loopback TCP listener on 1883 that allows anonymous clients', () => {
    const c = loadBrokerConfig();
    expect(c.nodeName).toBe('watershed');
    expect(c.listeners).toEqual([
      expect.objectContaining({
        type: 'tcp',
        host: '127.0.0.1',
        port: 1883,
        auth: { allowAnonymous: true, sources: ['password'], enhanced: [] },
        acl: { default: 'allow' },
      }),
    ]);
    expect(c.flapping).toMatchObject({ enabled: true, maxConnects: 15 });
  });

  it('reads several listeners, users, ordered ACL and bans from YAML', async () => {
    const hash = await hashPassword('pw');
    const path = file(
      'full.yaml',
      `nodeName: cloud-1
listeners:
  - { type: tcp, port: 0, auth: { allowAnonymous: false } }
  - { type: ws, port: 0, path: /mqtt, acl: { default: deny } }
users:
  - { username: edge-1, passwordHash: "${hash}", roles: [edge] }
acl:
  - { permission: allow, action: publish, topic: "ws/v1/%u/#" }
  - { permission: deny, action: all, topic: "#", who: { ipCidr: 10.0.0.0/8 } }
banned:
  - { clientId: rogue, until: "2030-01-01T00:00:00Z" }
rateLimits: { messagesPerS: 100 }
`,
    );
    const c = loadBrokerConfig({ file: path });
    expect(c.listeners.map((l) => [l.type, l.host, l.auth.allowAnonymous, l.acl.default])).toEqual([
      ['tcp', '0.0.0.0', false, 'allow'],
      ['ws', '0.0.0.0', false, 'deny'],
    ]);
    expect(c.users[0]).toMatchObject({ username: 'edge-1', roles: ['edge'] });
    expect(c.acl[1]).toMatchObject({ permission: 'deny', who: { ipCidr: '10.0.0.0/8' } });
    expect(c.rateLimits).toEqual({ messagesPerS: 100 });
  });

  it('overlays WATERSHED_BROKER__ environment variables', () => {
    const c = loadBrokerConfig({
      env: { WATERSHED_BROKER__NODE_NAME: 'cloud-2', WATERSHED_BROKER__RATE_LIMITS__BYTES_PER_S: '5000' },
    });
    expect(c.nodeName).toBe('cloud-2');
    expect(c.rateLimits.bytesPerS).toBe(5000);
  });

  it('refuses a bad file naming each bad path', () => {
    const path = file(
      'bad.yaml',
      `listeners:
  - { type: udp, port: 1883 }
  - { type: tcp, port: 70000 }
acl:
  - { permission: maybe, action: publish, topic: a }
`,
    );
    const paths = issuesOf(() => loadBrokerConfig({ file: path }));
    expect(paths).toEqual(
      expect.arrayContaining(['listeners.0.type', 'listeners.1.port', 'acl.0.permission']),
    );
  });

  it('refuses what the schema cannot see: TLS files, hashes, CIDRs, dates, duplicates', () => {
    const paths = issuesOf(() =>
      loadBrokerConfig({
        value: {
          listeners: [
            { type: 'tls', port: 8883, keyFile: join(dir, 'missing.pem') },
            { type: 'tcp', port: 1, name: 'a', requestClientCert: true },
            { type: 'tcp', port: 2, name: 'a' },
          ],
          users: [{ username: 'u', passwordHash: 'plaintext' }],
          acl: [{ permission: 'deny', action: 'all', topic: '#', who: { ipCidr: '10.0.0.0/33' } }],
          banned: [{ ip: 'not-an-ip' }, { clientId: 'x', until: 'tomorrow' }, {}],
        },
      }),
    );
    expect(paths.sort()).toEqual(
      [
        'acl.0.who.ipCidr',
        'banned.0.ip',
        'banned.1.until',
        'banned.2',
        'listeners.0.certFile',
        'listeners.0.keyFile',
        'listeners.1.requestClientCert',
        'listeners.2.name',
        'users.0.passwordHash',
      ].sort(),
    );
  });
});

describe('the example config', () => {
  it('is valid', () => {
    const example = new URL('../../examples/broker.yaml', import.meta.url).pathname;
    const c = loadBrokerConfig({ file: example });
    expect(c.listeners.map((l) => l.name)).toEqual(['plants', 'browsers']);
    expect(c.acl).toHaveLength(4);
  });
});
