import { silentLogger } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { AuthChain } from './chain.js';
import type { AuthRequest, AuthSource, AuthVerdict } from './source.js';

/** A source that answers as told and records that it was asked. */
function source(kind: string, verdict: AuthVerdict | Error, asked: string[]): AuthSource {
  return {
    kind,
    authenticate: () => {
      asked.push(kind);
      return verdict instanceof Error ? Promise.reject(verdict) : Promise.resolve(verdict);
    },
  };
}

const req = (extra: Partial<AuthRequest> = {}): AuthRequest => ({ clientId: 'c1', ...extra });
const ignore: AuthVerdict = { result: 'ignore' };

describe('authentication chain', () => {
  it('asks sources in order; the first decisive answer wins and later sources are not asked', async () => {
    const asked: string[] = [];
    const chain = new AuthChain(
      [
        source('a', ignore, asked),
        source('b', { result: 'allow', username: 'from-b' }, asked),
        source('c', { result: 'deny', reason: 'bad_credentials', detail: 'no' }, asked),
      ],
      false,
      silentLogger(),
    );
    expect(await chain.authenticate(req({ username: 'u' }))).toEqual({
      result: 'allow',
      username: 'from-b',
      source: 'b',
    });
    expect(asked).toEqual(['a', 'b']);
  });

  it('a deny is as final as an allow: a later source cannot overturn it', async () => {
    const asked: string[] = [];
    const chain = new AuthChain(
      [
        source('a', { result: 'deny', reason: 'bad_credentials', detail: 'wrong' }, asked),
        source('b', { result: 'allow' }, asked),
      ],
      true,
      silentLogger(),
    );
    expect(await chain.authenticate(req({ username: 'u' }))).toMatchObject({ result: 'deny', source: 'a' });
    expect(asked).toEqual(['a']);
  });

  it('when every source ignores the client, the anonymous rule decides for a client without credentials', async () => {
    const asked: string[] = [];
    const open = new AuthChain([source('a', ignore, asked)], true, silentLogger());
    const closed = new AuthChain([source('a', ignore, asked)], false, silentLogger());
    expect(await open.authenticate(req())).toEqual({ result: 'allow', source: 'anonymous' });
    expect(await closed.authenticate(req())).toMatchObject({
      result: 'deny',
      reason: 'not_authorized',
      source: 'anonymous',
    });
  });

  it('refuses credentials nobody vouched for, even where anonymous access is allowed', async () => {
    const chain = new AuthChain([source('a', ignore, [])], true, silentLogger());
    expect(await chain.authenticate(req({ username: 'who' }))).toMatchObject({
      result: 'deny',
      reason: 'bad_credentials',
    });
    expect(await chain.authenticate(req({ password: Buffer.from('x') }))).toMatchObject({
      result: 'deny',
      reason: 'bad_credentials',
    });
  });

  it('a failing source refuses the client instead of passing it on', async () => {
    const asked: string[] = [];
    const chain = new AuthChain(
      [source('broken', new Error('down'), asked), source('b', { result: 'allow' }, asked)],
      true,
      silentLogger(),
    );
    expect(await chain.authenticate(req())).toMatchObject({
      result: 'deny',
      reason: 'not_authorized',
      source: 'broken',
    });
    expect(asked).toEqual(['broken']);
  });
});
