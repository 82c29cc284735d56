import { describe, expect, it } from 'vitest';
import { sessionFrom } from './auth-api.js';

const me = {
  kind: 'user',
  user: { id: 'u1', name: 'ann', role: 'viewer', project: '*' },
  mustChangePassword: false,
};

describe('sessionFrom', () => {
  it('maps /auth/me answers to what the SPA shows', () => {
    expect(sessionFrom(200, me)).toEqual({ state: 'ready', me });
    expect(sessionFrom(200, { ...me, mustChangePassword: true }).state).toBe('must-change');
    expect(sessionFrom(401, { code: 'WS_ERR_UNAUTHENTICATED' }).state).toBe('anonymous');
    expect(sessionFrom(403, { code: 'WS_ERR_FORBIDDEN' }).state).toBe('anonymous');
    expect(sessionFrom(502, undefined).state).toBe('unreachable');
    expect(sessionFrom(200, 'not json').state).toBe('unreachable');
  });
});
