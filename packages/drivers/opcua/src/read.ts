/**
 * Polled reads: a group's tags in as few Read service calls as the server allows (Part 4
 * §5.10.2; chunked by OperationLimits.MaxNodesPerRead, Part 5 §6.3.11). A node that appears
 * twice is read once. Failures become bad samples — a poll loop never sees an exception.
 */
import type { Clock } from '@watershed/common';
import type { TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import type { OpcuaAddress } from './address.js';
import { chunk } from './chunk.js';
import { toSample } from './codec/values.js';
import type { UaDataValue, UaSession } from './session/types.js';

export type Resolve = (tag: TagRef) => OpcuaAddress | { error: string };
export type RunCall = <T>(what: string, fn: (s: UaSession) => Promise<T>) => Promise<T>;

function errorCode(err: unknown): string {
  return err instanceof Error && 'code' in err && typeof err.code === 'string'
    ? err.code
    : 'WS_ERR_OPCUA_SERVICE';
}

export async function readTags(
  tags: readonly TagRef[],
  resolve: Resolve,
  call: RunCall,
  maxNodesPerRead: (s: UaSession | undefined) => number,
  session: () => UaSession | undefined,
  clock: Clock,
  signal?: AbortSignal,
): Promise<Sample[]> {
  const out = new Array<Sample | undefined>(tags.length);
  const nodes = new Map<string, number[]>();
  tags.forEach((tag, i) => {
    const a = resolve(tag);
    if ('error' in a) {
      out[i] = { ts: clock.now(), value: null, quality: 'bad', reason: a.error };
      return;
    }
    const list = nodes.get(a.nodeId) ?? [];
    list.push(i);
    nodes.set(a.nodeId, list);
  });
  const ids = [...nodes.keys()];
  for (const part of chunk(ids, maxNodesPerRead(session()))) {
    signal?.throwIfAborted();
    let values: UaDataValue[] | undefined;
    let reason = '';
    try {
      values = await call('Read', (s) => s.read(part));
    } catch (err) {
      reason = errorCode(err);
    }
    const now = clock.now();
    part.forEach((id, k) => {
      const dv = values?.[k];
      for (const i of nodes.get(id)!)
        out[i] = dv
          ? toSample(dv, tags[i]!.dataType, now)
          : { ts: now, value: null, quality: 'bad', reason: reason || 'WS_ERR_OPCUA_SERVICE' };
    });
  }
  return out as Sample[];
}
