import { DataType, NAME_RE, Quantity } from '@watershed/model';
import type { Json } from '@watershed/store';
import { Value } from 'typebox/value';
import { FleetApiErrors } from './errors.js';

/**
 * Tags of a gateway config as CSV (RFC 4180: comma separated, CRLF lines, fields quoted when
 * they hold a comma, quote or line break), one row per tag, for editing a plant's tag list in a
 * spreadsheet. The columns are the edge's TagConfig fields plus the device and group they sit in.
 */
export const TAG_COLUMNS = [
  'device',
  'group',
  'name',
  'address',
  'dataType',
  'scale',
  'offset',
  'deadband',
  'unit',
  'quantity',
  'description',
  'asset',
  'writable',
  'min',
  'max',
  'maxSilenceS',
] as const;
type Column = (typeof TAG_COLUMNS)[number];

const NUMBER_COLUMNS: readonly Column[] = ['scale', 'offset', 'deadband', 'min', 'max', 'maxSilenceS'];

type JsonObject = { [key: string]: Json };

/** The CSV of every tag in `config` (`{ devices: [{ name, groups: [{ name, tags }] }] }`). */
export function tagsToCsv(config: Json | undefined): string {
  const lines = [TAG_COLUMNS.join(',')];
  for (const device of objects(field(config, 'devices'))) {
    for (const group of objects(device['groups'])) {
      for (const tag of objects(group['tags'])) {
        const row = TAG_COLUMNS.map((c) => {
          if (c === 'device') return cell(device['name']);
          if (c === 'group') return cell(group['name']);
          return cell(tag[c]);
        });
        lines.push(row.join(','));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * A new config: `base` with the tag list of every group the CSV names replaced by the CSV's
 * rows for it, in CSV order. Groups the CSV does not name keep their tags, and devices and
 * groups are never created or removed here (they carry driver settings and poll intervals a
 * tag list does not): a row naming an unknown device or group is an error, by line number.
 * Cell values are checked for what the CSV can get wrong (names, types, numbers); the
 * gateway validates the rest (addresses) when the config is pushed.
 */
export function applyTagsCsv(base: Json, csv: string): Json {
  const rows = parseCsv(csv);
  const header = rows.shift();
  if (!header) throw FleetApiErrors.CSV_INVALID.create(['empty']);
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const required of ['device', 'group', 'name', 'address', 'dataType'] as const) {
    if (!index.has(required)) throw FleetApiErrors.CSV_INVALID.create([`no "${required}" column`]);
  }
  const unknown = header.filter((h) => !(TAG_COLUMNS as readonly string[]).includes(h.trim()));
  if (unknown.length > 0) throw FleetApiErrors.CSV_INVALID.create([`unknown columns ${unknown.join(', ')}`]);

  const config = structuredClone(base) as JsonObject;
  const devices = new Map(
    objects(config['devices']).map((d) => [typeof d['name'] === 'string' ? d['name'] : '', d]),
  );
  const replaced = new Map<JsonObject, JsonObject[]>();
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    const get = (c: Column): string => (cells[index.get(c) ?? -1] ?? '').trim();
    const device = devices.get(get('device'));
    if (!device) throw FleetApiErrors.CSV_INVALID.create([`line ${line}: no device "${get('device')}"`]);
    const group = objects(device['groups']).find((g) => g['name'] === get('group'));
    if (!group) {
      throw FleetApiErrors.CSV_INVALID.create([
        `line ${line}: device "${get('device')}" has no group "${get('group')}"`,
      ]);
    }
    let list = replaced.get(group);
    if (!list) replaced.set(group, (list = []));
    list.push(tagOfRow(get, line));
  });
  for (const [group, tags] of replaced) {
    const names = new Set<string>();
    for (const t of tags) {
      const name = t['name'] as string; // tagOfRow checked it
      if (names.has(name)) {
        throw FleetApiErrors.CSV_INVALID.create([
          `tag "${name}" twice in group "${group['name'] as string}"`,
        ]);
      }
      names.add(name);
    }
    group['tags'] = tags;
  }
  return config;
}

function tagOfRow(get: (c: Column) => string, line: number): JsonObject {
  const bad = (what: string) => FleetApiErrors.CSV_INVALID.create([`line ${line}: ${what}`]);
  const tag: JsonObject = {};
  for (const c of TAG_COLUMNS) {
    const raw = get(c);
    if (c === 'device' || c === 'group' || raw === '') continue;
    if (NUMBER_COLUMNS.includes(c)) {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw bad(`${c} "${raw}" is not a number`);
      tag[c] = n;
    } else if (c === 'writable') {
      if (raw !== 'true' && raw !== 'false') throw bad(`writable must be true or false, not "${raw}"`);
      tag[c] = raw === 'true';
    } else if (c === 'dataType' && !Value.Check(DataType, raw)) {
      throw bad(`dataType "${raw}" is not one of bool, int16 … double, string`);
    } else if (c === 'quantity' && !Value.Check(Quantity, raw)) {
      throw bad(`quantity "${raw}" is not a known quantity`);
    } else if ((c === 'name' || c === 'asset') && !NAME_RE.test(raw)) {
      throw bad(`${c} "${raw}" must be letters, digits, "_" or "-"`);
    } else {
      tag[c] = raw;
    }
  }
  if (tag['name'] === undefined) throw bad('no tag name');
  if (tag['address'] === undefined) throw bad('no address');
  if (tag['dataType'] === undefined) throw bad('no dataType');
  return tag;
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw FleetApiErrors.CSV_INVALID.create(['a quoted field is not closed']);
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function cell(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function field(v: Json | undefined, key: string): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v[key] : undefined;
}

function objects(v: Json | undefined): JsonObject[] {
  return Array.isArray(v)
    ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x))
    : [];
}
