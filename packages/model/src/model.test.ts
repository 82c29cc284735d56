import { describe, expect, it } from 'vitest';
import {
  dataTopic,
  decodeUplink,
  encodeUplink,
  mgmtTopic,
  parsePointId,
  parseTopic,
  pointId,
} from './index.js';

describe('topics', () => {
  it('round-trips data and mgmt topics', () => {
    expect(parseTopic(dataTopic('net3', 'plant1', 'fast'))).toEqual({
      kind: 'data',
      site: 'net3',
      node: 'plant1',
      group: 'fast',
    });
    expect(parseTopic(mgmtTopic('net3', 'plant1', 'config'))).toEqual({
      kind: 'mgmt',
      site: 'net3',
      node: 'plant1',
      channel: 'config',
    });
  });
  it('rejects foreign and malformed topics', () => {
    expect(parseTopic('ws/v2/a/b/c/data')).toBeUndefined();
    expect(parseTopic('ws/v1/a/b/c/other')).toBeUndefined();
    expect(parseTopic('ws/v1/a/b/mgmt/nope')).toBeUndefined();
    expect(parseTopic('ws/v1/a/b/data')).toBeUndefined();
  });
});

describe('point ids', () => {
  it('joins and splits four segments', () => {
    const a = { site: 's', node: 'n', group: 'g', tag: 't_1' };
    expect(parsePointId(pointId(a))).toEqual(a);
    expect(parsePointId('s.n.g')).toBeUndefined();
    expect(parsePointId('s..g.t')).toBeUndefined();
  });
});

describe('uplink', () => {
  it('accepts a well-formed message and round-trips it', () => {
    const m = {
      v: 1 as const,
      node: 'plant1',
      group: 'fast',
      ts: 1_700_000_000_000,
      seq: 7,
      values: { flow: 12.5, running: true, level: null },
      errors: { level: 'WS_ERR_MODBUS_TIMEOUT' },
      quality: { level: 'bad' as const },
    };
    expect(decodeUplink(encodeUplink(m))).toEqual({ ok: true, message: m });
  });
  it('names what is wrong', () => {
    const r = decodeUplink(JSON.stringify({ v: 1, node: 'n', group: 'g', ts: 1, seq: -1, values: {} }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain('/seq');
    const bad = decodeUplink('{not json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toMatch(/not JSON/);
  });
});
