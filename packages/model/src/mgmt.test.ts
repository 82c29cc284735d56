import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeConfigPush } from './mgmt.js';
import { decodeEdgeReport, decodeLogTail } from './mgmt-report.js';
import { decodeWriteRequest } from './mgmt-write.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace, whatever the written order', () => {
    const a = { b: 1, a: { y: [1, { d: true, c: null }], x: 'é' } };
    const b = { a: { x: 'é', y: [1, { c: null, d: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"é","y":[1,{"c":null,"d":true}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('drops undefined members as JSON does, prints numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalJson({ a: undefined, n: 1e21, f: 0.1, z: -0 })).toBe('{"f":0.1,"n":1e+21,"z":0}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
  });
});

describe('management payloads', () => {
  it('decodes a config push and names what is wrong with a bad one', () => {
    const ok = decodeConfigPush(
      JSON.stringify({ v: 1, version: 3, checksum: 'a'.repeat(64), config: { devices: [] } }),
    );
    expect(ok.ok).toBe(true);
    const bad = decodeConfigPush(JSON.stringify({ v: 1, version: 0, checksum: 'xyz', config: {} }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path).sort()).toEqual(['/checksum', '/version']);
    expect(decodeConfigPush('{').ok).toBe(false);
  });

  it('keeps the parsed value of an invalid write request so its id can still be answered', () => {
    const r = decodeWriteRequest(JSON.stringify({ v: 1, id: 'r1', point: 'a.b.c.d', value: {} }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect((r.value as { id: string }).id).toBe('r1');
  });

  it('validates reports and log tails', () => {
    expect(decodeLogTail(JSON.stringify({ v: 1, node: 'n', ts: 1, lines: [], dropped: 0 })).ok).toBe(true);
    expect(decodeEdgeReport(JSON.stringify({ v: 1, node: 'n', ts: 1 })).ok).toBe(false);
  });
});
