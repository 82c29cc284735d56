import { describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { loadBrokerConfig } from '../config/load.js';
import { describeSecurity } from './security.js';

describe('the security view of a broker config', () => {
  it('lists users without their secrets, ACL rules in order and each listener chain by source type', async () => {
    const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
    const config = loadBrokerConfig({
      value: {
        users: [
          { username: 'gw-2', passwordHash: hash, roles: ['gateway'] },
          { username: 'console', passwordHash: hash },
        ],
        acl: [
          { permission: 'allow', action: 'publish', topic: 'ws/v1/+/%u/#', who: { role: 'gateway' } },
          { permission: 'deny', action: 'all', topic: '#', who: { ipCidr: '198.51.100.0/24' } },
        ],
        listeners: [
          {
            name: 'plants',
            type: 'tcp',
            port: 0,
            auth: {
              sources: [
                'password',
                {
                  type: 'http',
                  url: 'http://auth.local/check?key=SECRET',
                  headers: { authorization: 'Bearer SECRET' },
                },
              ],
            },
            acl: { default: 'deny' },
          },
          { type: 'ws', host: '127.0.0.1', port: 9001, auth: { allowAnonymous: true } },
        ],
      },
    });
    const view = describeSecurity(config);
    expect(view).toEqual({
      users: [
        { username: 'console', source: 'file', passwordScheme: 'scrypt', scram: false, roles: [] },
        { username: 'gw-2', source: 'file', passwordScheme: 'scrypt', scram: false, roles: ['gateway'] },
      ],
      acl: [
        {
          index: 0,
          id: 'file-0',
          source: 'file',
          permission: 'allow',
          action: 'publish',
          topic: 'ws/v1/+/%u/#',
          who: { role: 'gateway' },
        },
        {
          index: 1,
          id: 'file-1',
          source: 'file',
          permission: 'deny',
          action: 'all',
          topic: '#',
          who: { ipCidr: '198.51.100.0/24' },
        },
      ],
      listeners: [
        {
          listener: 'plants',
          allowAnonymous: false,
          sources: ['password', 'http'],
          enhanced: [],
          aclDefault: 'deny',
        },
        {
          listener: 'ws:9001',
          allowAnonymous: true,
          sources: ['password'],
          enhanced: [],
          aclDefault: 'allow',
        },
      ],
      editable: false,
      persistent: false,
    });
    expect(JSON.stringify(view)).not.toMatch(/SECRET|scrypt\$/);
  });
});
