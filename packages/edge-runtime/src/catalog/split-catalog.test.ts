import type { GroupInfo } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { CatalogAssembler } from './catalog-assembler.js';
import { catalogChecksum, decodeCatalogPart, type CatalogPart } from './catalog-part.js';
import { splitCatalog } from './split-catalog.js';

function catalog(groups: number, tags: number): GroupInfo[] {
  return Array.from({ length: groups }, (_, g) => ({
    name: `g${g}`,
    device: `plc${g % 3}`,
    intervalMs: 1000,
    tags: Array.from({ length: tags }, (_, t) => ({
      name: `t${String(t).padStart(4, '0')}`,
      dataType: 'float' as const,
      unit: 'm3/h',
      description: `flow meter ${g}/${t} — 流量`,
    })),
  }));
}

const opts = { node: 'gw', configVersion: '7', ts: 1_000, maxBytes: 8192 };
const decodeAll = (parts: Buffer[]): CatalogPart[] => parts.map((p) => decodeCatalogPart(p)!);

describe('splitCatalog', () => {
  it('cuts a catalog into self-describing parts under the limit that reassemble to the same catalog', () => {
    const groups = catalog(5, 120);
    const encoded = splitCatalog(groups, opts);
    const parts = decodeAll(encoded.parts);
    expect(parts.length).toBeGreaterThan(3);
    expect(encoded.parts.every((p) => p.length <= opts.maxBytes)).toBe(true);
    expect(parts.map((p) => [p.part, p.parts])).toEqual(parts.map((_, i) => [i + 1, parts.length]));
    expect(new Set(parts.map((p) => p.checksum))).toEqual(new Set([catalogChecksum(groups)]));
    expect(parts.every((p) => p.tags === 600 && p.configVersion === '7' && p.node === 'gw')).toBe(true);
    // Parts are filled: all but the last are more than half full.
    expect(encoded.parts.slice(0, -1).every((p) => p.length > opts.maxBytes / 2)).toBe(true);

    const assembler = new CatalogAssembler();
    const shuffled = [...parts].reverse();
    const outcomes = shuffled.map((p) => assembler.add(p));
    expect(outcomes.slice(0, -1).every((o) => o.kind === 'pending')).toBe(true);
    const last = outcomes.at(-1)!;
    expect(last.kind).toBe('complete');
    if (last.kind === 'complete') expect(last.catalog.groups).toEqual(groups);
  });

  it('keeps a small catalog in one part and an empty one as a single empty part', () => {
    expect(splitCatalog(catalog(1, 2), opts).parts).toHaveLength(1);
    const empty = decodeAll(splitCatalog([], opts).parts);
    expect(empty).toEqual([expect.objectContaining({ part: 1, parts: 1, tags: 0, groups: [] })]);
  });

  it('refuses a tag that could not fit any part, naming it', () => {
    const groups = catalog(1, 1);
    groups[0]!.tags[0]!.description = 'x'.repeat(10_000);
    expect(() => splitCatalog(groups, opts)).toThrow(/WS_ERR_EDGE_CATALOG_TAG_TOO_BIG|g0\.t0000/);
  });
});

describe('CatalogAssembler', () => {
  it('reports the missing part and completes when it finally comes; repeats are harmless', () => {
    const parts = decodeAll(splitCatalog(catalog(4, 100), opts).parts);
    const assembler = new CatalogAssembler();
    const lost = parts[2]!;
    for (const p of parts) if (p !== lost) assembler.add(p);
    assembler.add(parts[0]!); // a retained part delivered again
    expect(assembler.missing('gw')).toEqual({ checksum: lost.checksum, parts: [3] });
    expect(assembler.add(lost).kind).toBe('complete');
    expect(assembler.missing('gw')).toBeUndefined();
  });

  it('detects parts that do not add up to their checksum', () => {
    const parts = decodeAll(splitCatalog(catalog(2, 100), opts).parts);
    const assembler = new CatalogAssembler();
    parts[1]!.groups[0]!.tags[0]!.unit = 'l/s';
    const outcomes = parts.map((p) => assembler.add(p));
    expect(outcomes.at(-1)).toMatchObject({ kind: 'corrupt' });
    const last = outcomes.at(-1);
    if (last?.kind === 'corrupt') expect(last.error.message).toMatch(/checksum/);
  });

  it('holds at most `keep` incomplete catalogs per gateway, dropping the oldest', () => {
    const assembler = new CatalogAssembler({ keep: 1 });
    const old = decodeAll(splitCatalog(catalog(3, 100), { ...opts, ts: 1 }).parts);
    const current = decodeAll(splitCatalog(catalog(3, 101), { ...opts, ts: 2 }).parts);
    assembler.add(old[0]!);
    assembler.add(current[0]!);
    expect(assembler.missing('gw')?.checksum).toBe(current[0]!.checksum);
    // The old set is gone: its last parts start a new, incomplete set instead of completing.
    for (const p of old.slice(1)) expect(assembler.add(p).kind).toBe('pending');
  });

  it('rejects payloads that are not catalog parts', () => {
    expect(decodeCatalogPart('nope')).toBeUndefined();
    expect(decodeCatalogPart(JSON.stringify({ v: 1, node: 'gw' }))).toBeUndefined();
  });
});
