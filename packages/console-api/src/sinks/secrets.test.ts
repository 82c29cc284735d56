import { describe, expect, it } from 'vitest';
import { SECRET_MASK, maskSecrets, restoreSecrets } from './secrets.js';

describe('sink config secrets', () => {
  const stored = {
    url: 'postgresql://ws:hunter2@db:5432/ws',
    password: 'p',
    token: '',
    headers: { Authorization: 'Bearer abc', 'X-Plant': '7' },
    servers: ['nats://u:np@n1:4222', 'nats://n2:4222'],
    tls: { key: '/etc/ws/client.key' },
    batch: { maxRows: 10 },
  };

  it('masks credential fields, credential headers and URL passwords, nothing else', () => {
    expect(maskSecrets(stored)).toEqual({
      url: `postgresql://ws:${SECRET_MASK}@db:5432/ws`,
      password: SECRET_MASK,
      token: '',
      headers: { Authorization: SECRET_MASK, 'X-Plant': '7' },
      servers: [`nats://u:${SECRET_MASK}@n1:4222`, 'nats://n2:4222'],
      tls: { key: '/etc/ws/client.key' },
      batch: { maxRows: 10 },
    });
  });

  it('restores what comes back masked, takes what was changed, keeps a mask with nothing behind it', () => {
    const back = { ...maskSecrets(stored), password: 'new', url: `postgresql://ws:${SECRET_MASK}@db2/ws` };
    expect(restoreSecrets(back, stored)).toEqual({
      ...stored,
      password: 'new',
      url: 'postgresql://ws:hunter2@db2/ws',
    });
    expect(restoreSecrets({ token: SECRET_MASK }, undefined)).toEqual({ token: SECRET_MASK });
  });
});
