import { FakeClock } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';
import { OpcuaErrors } from './errors.js';
import { readTags, type RunCall } from './read.js';
import type { UaDataValue, UaSession } from './session/types.js';

const GOOD = { code: 0, name: 'Good' };

/** A session that answers every node with its index in the first call, and records calls. */
function fakeSession(limit: number, fail?: (call: number) => Error | undefined) {
  const calls: string[][] = [];
  const session = {
    maxNodesPerRead: limit,
    read: (ids: readonly string[]): Promise<UaDataValue[]> => {
      calls.push([...ids]);
      const err = fail?.(calls.length);
      if (err) return Promise.reject(err);
      return Promise.resolve(
        ids.map((id) => ({
          value: Number(id.split('=').pop()),
          builtInType: 'Double',
          isArray: false,
          status: GOOD,
        })),
      );
    },
  } as unknown as UaSession;
  const call: RunCall = (_what, fn) => fn(session);
  return { session, calls, call };
}

const tag = (name: string, address: string): TagRef => ({ name, address, dataType: 'double' });
const resolve = (t: TagRef) => {
  const r = parseAddress(t.address, t.dataType);
  return r.ok ? r.address : { error: OpcuaErrors.ADDRESS.code };
};

describe('readTags', () => {
  it('reads each distinct node once, chunked by the limit, answers in tag order', async () => {
    const f = fakeSession(2);
    const tags = [tag('a', 'ns=1;i=1'), tag('b', 'ns=1;i=2'), tag('a2', 'ns=1;i=1'), tag('c', 'ns=1;i=3')];
    const samples = await readTags(
      tags,
      resolve,
      f.call,
      (s) => s!.maxNodesPerRead,
      () => f.session,
      new FakeClock(5),
    );
    expect(f.calls).toEqual([['ns=1;i=1', 'ns=1;i=2'], ['ns=1;i=3']]);
    expect(samples.map((s) => s.value)).toEqual([1, 2, 1, 3]);
    expect(samples.every((s) => s.quality === 'good' && s.ts === 5)).toBe(true);
  });

  it('turns a failed call into bad samples for its chunk only, with the error code', async () => {
    const f = fakeSession(1, (n) => (n === 2 ? OpcuaErrors.TIMEOUT.create(['Read', 100]) : undefined));
    const tags = [tag('a', 'ns=1;i=1'), tag('b', 'ns=1;i=2'), tag('bad', 'nonsense')];
    const samples = await readTags(
      tags,
      resolve,
      f.call,
      () => 1,
      () => f.session,
      new FakeClock(0),
    );
    expect(samples[0]).toMatchObject({ quality: 'good', value: 1 });
    expect(samples[1]).toMatchObject({ quality: 'bad', value: null, reason: 'WS_ERR_OPCUA_TIMEOUT' });
    expect(samples[2]).toMatchObject({ quality: 'bad', reason: 'WS_ERR_OPCUA_ADDRESS' });
  });
});
