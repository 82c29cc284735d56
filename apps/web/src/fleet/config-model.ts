import type { DataType } from '@watershed/model';

/**
 * The part of a gateway's config the console pushes (edge-runtime `PlantConfig`): devices, their
 * groups and tags, and the edge rules. Identity and uplink stay in the gateway's own file. The
 * editor works on this shape and keeps anything it does not edit (driver settings, rules, tag
 * fields without a column here) exactly as it came.
 */
export interface PlantConfig {
  devices: DeviceConfig[];
  rules?: unknown[];
}

export interface DeviceConfig {
  name: string;
  driver: string;
  config: Record<string, unknown>;
  groups: GroupConfig[];
}

export interface GroupConfig {
  name: string;
  intervalMs: number;
  maxSilenceS?: number;
  tags: TagConfig[];
}

export interface TagConfig {
  name: string;
  address: string;
  dataType: DataType;
  scale?: number;
  offset?: number;
  deadband?: number;
  unit?: string;
  quantity?: string;
  description?: string;
  asset?: string;
  writable?: boolean;
  maxSilenceS?: number;
  min?: number;
  max?: number;
}

/** The edge's data types (model `DataType`), in the order a form offers them. */
export const DATA_TYPES: readonly DataType[] = [
  'bool',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float',
  'double',
  'string',
];

/** Device, group, tag and asset names (model names.ts `NAME_RE`): they become topic levels. */
export const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** The edge's shortest poll interval (edge-runtime GroupConfig `intervalMs` minimum). */
export const MIN_INTERVAL_MS = 10;

/** Where an edit applies: a device, one of its groups, one of that group's tags. */
export interface TagRef {
  device: number;
  group: number;
  tag: number;
}

/** One problem found in a config, by path (`devices.0.groups.1.tags.2.address`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** What a validation message is about; the page words it (see fleet i18n `fleet.edit.issue.*`). */
export type IssueKind =
  | 'name'
  | 'duplicate'
  | 'address'
  | 'dataType'
  | 'interval'
  | 'deadband'
  | 'number'
  | 'limits'
  | 'noTags'
  | 'noGroups'
  | 'shape';

export interface Issue {
  path: string;
  kind: IssueKind;
  /** The offending value or name, for the message. */
  value?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a config as the raw view holds it (parsed JSON) into the editor's shape, or says where
 * its shape is wrong. Only the frame is checked here (arrays and objects where the tree needs
 * them); `validateConfig` checks the values.
 */
export function readPlantConfig(
  json: unknown,
): { ok: true; config: PlantConfig } | { ok: false; issue: Issue } {
  const shape = (path: string): { ok: false; issue: Issue } => ({
    ok: false,
    issue: { path, kind: 'shape' },
  });
  if (!isObject(json) || !Array.isArray(json['devices'])) return shape('devices');
  for (const [d, device] of json['devices'].entries()) {
    if (!isObject(device) || !Array.isArray(device['groups'])) return shape(`devices.${d}.groups`);
    if (device['config'] !== undefined && !isObject(device['config'])) return shape(`devices.${d}.config`);
    for (const [g, group] of device['groups'].entries()) {
      if (!isObject(group) || !Array.isArray(group['tags'])) return shape(`devices.${d}.groups.${g}.tags`);
      for (const [t, tag] of group['tags'].entries()) {
        if (!isObject(tag)) return shape(`devices.${d}.groups.${g}.tags.${t}`);
      }
    }
  }
  const config = structuredClone(json) as unknown as PlantConfig;
  for (const device of config.devices) device.config ??= {};
  return { ok: true, config };
}

/**
 * What the gateway would refuse, found before the push: names (pattern, unique per scope),
 * addresses present, known data types, poll intervals, deadbands, numbers finite, min ≤ max,
 * and no empty group or device. The gateway still checks addresses against its driver.
 */
export function validateConfig(config: PlantConfig): Issue[] {
  const issues: Issue[] = [];
  const names = (list: readonly { name: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (typeof item.name !== 'string' || !NAME_RE.test(item.name))
        issues.push({ path: `${path}.${i}.name`, kind: 'name', value: String(item.name ?? '') });
      else if (seen.has(item.name))
        issues.push({ path: `${path}.${i}.name`, kind: 'duplicate', value: item.name });
      seen.add(item.name);
    });
  };
  names(config.devices, 'devices');
  config.devices.forEach((device, d) => {
    const dp = `devices.${d}`;
    if (device.groups.length === 0)
      issues.push({ path: `${dp}.groups`, kind: 'noGroups', value: device.name });
    names(device.groups, `${dp}.groups`);
    device.groups.forEach((group, g) => {
      const gp = `${dp}.groups.${g}`;
      if (!Number.isInteger(group.intervalMs) || group.intervalMs < MIN_INTERVAL_MS)
        issues.push({ path: `${gp}.intervalMs`, kind: 'interval', value: String(group.intervalMs) });
      if (group.tags.length === 0) issues.push({ path: `${gp}.tags`, kind: 'noTags', value: group.name });
      names(group.tags, `${gp}.tags`);
      group.tags.forEach((tag, t) => issues.push(...tagIssues(tag, `${gp}.tags.${t}`)));
    });
  });
  return issues;
}

/** The problems of one tag, paths under `path`. */
export function tagIssues(tag: TagConfig, path = ''): Issue[] {
  const at = (field: string) => (path === '' ? field : `${path}.${field}`);
  const issues: Issue[] = [];
  if (typeof tag.address !== 'string' || tag.address.trim() === '')
    issues.push({ path: at('address'), kind: 'address' });
  if (!DATA_TYPES.includes(tag.dataType))
    issues.push({ path: at('dataType'), kind: 'dataType', value: String(tag.dataType) });
  for (const field of ['scale', 'offset', 'deadband', 'min', 'max', 'maxSilenceS'] as const) {
    const v = tag[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v)))
      issues.push({ path: at(field), kind: 'number', value: String(v) });
  }
  if (typeof tag.deadband === 'number' && tag.deadband < 0)
    issues.push({ path: at('deadband'), kind: 'deadband', value: String(tag.deadband) });
  if (typeof tag.min === 'number' && typeof tag.max === 'number' && tag.min > tag.max)
    issues.push({ path: at('min'), kind: 'limits', value: `${tag.min} > ${tag.max}` });
  return issues;
}

/** The config with `fn` applied to a copy of one group (devices and other groups shared). */
function withGroup(
  config: PlantConfig,
  device: number,
  group: number,
  fn: (g: GroupConfig) => GroupConfig,
): PlantConfig {
  return {
    ...config,
    devices: config.devices.map((d, i) =>
      i !== device ? d : { ...d, groups: d.groups.map((g, j) => (j !== group ? g : fn(g))) },
    ),
  };
}

export function setTag(config: PlantConfig, ref: TagRef, tag: TagConfig): PlantConfig {
  return withGroup(config, ref.device, ref.group, (g) => ({
    ...g,
    tags: g.tags.map((t, k) => (k === ref.tag ? tag : t)),
  }));
}

export function addTag(config: PlantConfig, device: number, group: number, tag: TagConfig): PlantConfig {
  return withGroup(config, device, group, (g) => ({ ...g, tags: [...g.tags, tag] }));
}

export function removeTag(config: PlantConfig, ref: TagRef): PlantConfig {
  return withGroup(config, ref.device, ref.group, (g) => ({
    ...g,
    tags: g.tags.filter((_, k) => k !== ref.tag),
  }));
}

/** Changes a group's name or poll interval; its tags stay. */
export function setGroup(
  config: PlantConfig,
  device: number,
  group: number,
  patch: Pick<GroupConfig, 'name' | 'intervalMs'>,
): PlantConfig {
  return withGroup(config, device, group, (g) => ({ ...g, ...patch }));
}

export function addGroup(config: PlantConfig, device: number, group: GroupConfig): PlantConfig {
  return {
    ...config,
    devices: config.devices.map((d, i) => (i !== device ? d : { ...d, groups: [...d.groups, group] })),
  };
}

export function removeGroup(config: PlantConfig, device: number, group: number): PlantConfig {
  return {
    ...config,
    devices: config.devices.map((d, i) =>
      i !== device ? d : { ...d, groups: d.groups.filter((_, j) => j !== group) },
    ),
  };
}

/** The text fields of the tag form: every field as typed, '' = not set. */
export type TagFields = Record<
  'name' | 'address' | 'dataType' | 'unit' | 'scale' | 'offset' | 'deadband' | 'min' | 'max' | 'writable',
  string
>;

export function fieldsOfTag(tag: TagConfig | undefined): TagFields {
  const s = (v: string | number | undefined) => (v === undefined ? '' : String(v));
  return {
    name: s(tag?.name),
    address: s(tag?.address),
    dataType: tag?.dataType ?? 'float',
    unit: s(tag?.unit),
    scale: s(tag?.scale),
    offset: s(tag?.offset),
    deadband: s(tag?.deadband),
    min: s(tag?.min),
    max: s(tag?.max),
    writable: tag?.writable ? 'true' : 'false',
  };
}

/**
 * The tag the form describes, over `base` (the tag being edited, so fields without a column in
 * the form — description, quantity, asset — are kept). Blank optional fields are left out; a
 * number field that is not a number is an issue, not a silent 0.
 */
export function tagOfFields(
  fields: TagFields,
  base?: TagConfig,
): { ok: true; tag: TagConfig } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const tag: TagConfig = {
    ...base,
    name: fields.name.trim(),
    address: fields.address.trim(),
    dataType: fields.dataType as DataType,
  };
  if (!NAME_RE.test(tag.name)) issues.push({ path: 'name', kind: 'name', value: tag.name });
  const unit = fields.unit.trim();
  if (unit === '') delete tag.unit;
  else tag.unit = unit;
  for (const field of ['scale', 'offset', 'deadband', 'min', 'max'] as const) {
    const raw = fields[field].trim();
    if (raw === '') {
      delete tag[field];
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) issues.push({ path: field, kind: 'number', value: raw });
    else tag[field] = n;
  }
  if (fields.writable === 'true') tag.writable = true;
  else delete tag.writable;
  issues.push(...tagIssues(tag).filter((i) => i.kind !== 'number'));
  return issues.length === 0 ? { ok: true, tag } : { ok: false, issues };
}

/** The raw view's text of a config: JSON, two-space indented, as it will be pushed. */
export function configText(config: PlantConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Parses the raw view's text; a syntax error is reported with the parser's own words. */
export function parseConfigText(
  text: string,
): { ok: true; config: PlantConfig } | { ok: false; syntax?: string; issue?: Issue } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, syntax: (err as Error).message };
  }
  const read = readPlantConfig(json);
  return read.ok ? read : { ok: false, issue: read.issue };
}
