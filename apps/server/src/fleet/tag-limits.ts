import type { DataType, GroupInfo, SampleValue } from '@watershed/model';
import { FleetErrors } from './errors.js';

/** A tag as the console knows it from the config a gateway runs (or from its birth catalog). */
export interface KnownTag {
  group: string;
  name: string;
  dataType: DataType;
  writable: boolean;
  min?: number;
  max?: number;
}

/**
 * The tags of a pushed config (`{ devices: [{ groups: [{ name, tags: [...] }] }] }`, the edge's
 * plant section). The shape was validated by the gateway that acked it; anything unexpected
 * here is skipped rather than trusted.
 */
export function tagsOfConfig(config: unknown): KnownTag[] {
  const out: KnownTag[] = [];
  for (const device of arrayAt(config, 'devices')) {
    for (const group of arrayAt(device, 'groups')) {
      const g = group as { name?: unknown };
      if (typeof g.name !== 'string') continue;
      for (const tag of arrayAt(group, 'tags')) {
        const t = tag as Record<string, unknown>;
        if (typeof t['name'] !== 'string' || typeof t['dataType'] !== 'string') continue;
        out.push({
          group: g.name,
          name: t['name'],
          dataType: t['dataType'] as DataType,
          writable: t['writable'] === true,
          ...(typeof t['min'] === 'number' && { min: t['min'] }),
          ...(typeof t['max'] === 'number' && { max: t['max'] }),
        });
      }
    }
  }
  return out;
}

/** The tags of a birth catalog: no limits are known, so a write is checked for type only. */
export function tagsOfCatalog(groups: readonly GroupInfo[]): KnownTag[] {
  return groups.flatMap((g) =>
    g.tags.map((t) => ({ group: g.name, name: t.name, dataType: t.dataType, writable: t.writable === true })),
  );
}

/** Finds `group.tag` or a bare `tag` that only one group has. */
export function findTag(tags: readonly KnownTag[], ref: string, node: string): KnownTag {
  const dot = ref.indexOf('.');
  const matches =
    dot >= 0
      ? tags.filter((t) => t.group === ref.slice(0, dot) && t.name === ref.slice(dot + 1))
      : tags.filter((t) => t.name === ref);
  if (matches.length === 0) throw FleetErrors.UNKNOWN_TAG.create([node, ref]);
  if (matches.length > 1)
    throw FleetErrors.AMBIGUOUS_TAG.create([ref, node, matches.map((t) => t.group).join(', ')]);
  return matches[0]!;
}

/**
 * The console's own check of a write, before anything is sent: writable, a value of the tag's
 * type, inside its [min, max] (engineering units). The gateway checks again (its config is the
 * authority on the plant side); checking here too means an out-of-range setpoint never leaves
 * the office network, and is refused even when the gateway runs an older build. Whether an
 * integer register can hold the raw value depends on the tag's scale: the gateway judges that.
 */
export function checkWrite(tag: KnownTag, value: SampleValue): void {
  const ref = `${tag.group}.${tag.name}`;
  if (!tag.writable) throw FleetErrors.READ_ONLY.create([ref]);
  const expected = tag.dataType === 'bool' ? 'boolean' : tag.dataType === 'string' ? 'string' : 'number';
  const ok =
    expected === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === expected;
  if (!ok) throw FleetErrors.WRITE_VALUE.create([ref, tag.dataType, JSON.stringify(value)]);
  if (typeof value !== 'number') return;
  if ((tag.min !== undefined && value < tag.min) || (tag.max !== undefined && value > tag.max)) {
    throw FleetErrors.WRITE_LIMIT.create([value, ref, tag.min ?? '-∞', tag.max ?? '∞']);
  }
}

function arrayAt(value: unknown, key: string): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = (value as Record<string, unknown>)[key];
  return Array.isArray(v) ? v : [];
}
