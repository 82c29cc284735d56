import type { PlantConfig, TagConfig } from './config-model.js';

/**
 * The preview of a tag CSV import: what the server's import (console-api fleet/tags-csv.ts) will
 * do to the gateway's newest config — each group the CSV names gets exactly its rows, other
 * groups keep theirs. The server parses and checks the file again and is the authority; this
 * only shows the operator what changes before anything is pushed.
 */
export interface TagChange {
  device: string;
  group: string;
  tag: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: the columns whose value differs. */
  fields?: string[];
}

export interface CsvPreview {
  changes: TagChange[];
  /** Rows: how many tag rows the file has. */
  rows: number;
  /** Problems the server would refuse the file for, by line (1 = the header). */
  errors: string[];
}

/** The columns compared: those of the server's TAG_COLUMNS after device and group. */
const FIELDS = [
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

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] | undefined {
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
  if (quoted) return undefined;
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A tag's value of a column as the CSV writes it ('' = not set). */
function cellOf(tag: TagConfig, field: (typeof FIELDS)[number]): string {
  const v = (tag as unknown as Record<string, unknown>)[field];
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Numbers compare as numbers: "1.50" in a spreadsheet is the config's 1.5. */
function same(a: string, b: string): boolean {
  if (a === b) return true;
  return a !== '' && b !== '' && Number.isFinite(Number(a)) && Number(a) === Number(b);
}

export function csvPreview(config: PlantConfig, text: string): CsvPreview {
  const parsed = parseCsv(text);
  if (parsed === undefined) return { changes: [], rows: 0, errors: ['a quoted field is not closed'] };
  const [header, ...records] = parsed;
  const errors: string[] = [];
  if (header === undefined) return { changes: [], rows: 0, errors: ['the file is empty'] };
  const index = new Map(header.map((h, i) => [h.trim(), i]));
  for (const required of ['device', 'group', 'name', 'address', 'dataType']) {
    if (!index.has(required)) errors.push(`no "${required}" column`);
  }
  if (errors.length > 0) return { changes: [], rows: 0, errors };

  const imported = new Map<string, Map<string, Record<string, string>>>();
  let rows = 0;
  records.forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === '') return;
    rows++;
    const get = (c: string) => (cells[index.get(c) ?? -1] ?? '').trim();
    const device = config.devices.find((d) => d.name === get('device'));
    const group = device?.groups.find((g) => g.name === get('group'));
    if (!device || !group) {
      errors.push(
        device
          ? `line ${i + 2}: device "${device.name}" has no group "${get('group')}"`
          : `line ${i + 2}: no device "${get('device')}"`,
      );
      return;
    }
    const key = `${device.name}\u0000${group.name}`;
    let tags = imported.get(key);
    if (!tags) imported.set(key, (tags = new Map<string, Record<string, string>>()));
    if (tags.has(get('name')))
      errors.push(`line ${i + 2}: tag "${get('name')}" twice in group "${group.name}"`);
    tags.set(get('name'), Object.fromEntries(FIELDS.map((f) => [f, get(f)])));
  });

  const changes: TagChange[] = [];
  for (const device of config.devices) {
    for (const group of device.groups) {
      const rowsOf = imported.get(`${device.name}\u0000${group.name}`);
      if (!rowsOf) continue;
      const at = { device: device.name, group: group.name };
      for (const tag of group.tags) {
        const row = rowsOf.get(tag.name);
        if (!row) {
          changes.push({ ...at, tag: tag.name, kind: 'removed' });
          continue;
        }
        // Columns absent from the file count as blank, as the server reads them.
        const fields = FIELDS.filter((f) => !same(cellOf(tag, f), index.has(f) ? row[f]! : ''));
        if (fields.length > 0) changes.push({ ...at, tag: tag.name, kind: 'changed', fields });
      }
      for (const name of rowsOf.keys()) {
        if (!group.tags.some((t) => t.name === name)) changes.push({ ...at, tag: name, kind: 'added' });
      }
    }
  }
  return { changes, rows, errors };
}
