import type { Severity } from '@watershed/model';

export type IsaState =
  'normal' | 'unack-active' | 'ack-active' | 'unack-cleared' | 'shelved' | 'out-of-service';

/** An alarm as GET /api/v1/alarms answers it (console-api alarms/schemas.ts AlarmView). */
export interface Alarm {
  id: string;
  project: string;
  point: string;
  name: string;
  severity: Severity;
  message: string;
  active: boolean;
  acknowledged: boolean;
  raisedAt?: number;
  clearedAt?: number;
  acknowledgedAt?: number;
  acknowledgedBy?: string;
  value?: number | boolean | string | null;
  changedAt: number;
  shelved?: { by: string; at: number; until: number; reason?: string };
  outOfService?: { by: string; at: number; reason?: string };
  comments: { at: number; by: string; text: string }[];
  status: IsaState;
}

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

const RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

/** When the alarm started to matter: raised, else its last change. */
export function sinceOf(a: Pick<Alarm, 'raisedAt' | 'changedAt'>): number {
  return a.raisedAt ?? a.changedAt;
}

/** Most severe first; within a severity the newest first, so a fresh critical is at the very top. */
export function sortAlarms<T extends Pick<Alarm, 'severity' | 'raisedAt' | 'changedAt' | 'id'>>(
  alarms: readonly T[],
): T[] {
  return [...alarms].sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || sinceOf(b) - sinceOf(a) || a.id.localeCompare(b.id),
  );
}

export function countBySeverity(alarms: readonly Pick<Alarm, 'severity'>[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, major: 0, minor: 0, warning: 0 };
  for (const a of alarms) counts[a.severity] += 1;
  return counts;
}

/** The ISA-18.2 state in an operator's words. */
export function stateText(a: Pick<Alarm, 'status' | 'active' | 'acknowledged'>): string {
  switch (a.status) {
    case 'unack-active':
      return 'Active, not acknowledged';
    case 'ack-active':
      return 'Active, acknowledged';
    case 'unack-cleared':
      return 'Cleared, not acknowledged';
    case 'normal':
      return 'Cleared, acknowledged';
    case 'shelved':
      return `Shelved (${a.active ? 'active' : 'cleared'})`;
    case 'out-of-service':
      return 'Out of service';
  }
}

/** Whether the Acknowledge button makes sense: there is something unacknowledged. */
export function canAck(a: Pick<Alarm, 'acknowledged' | 'status'>): boolean {
  return !a.acknowledged && a.status !== 'out-of-service';
}

/** The site of a point id `site.node.group.tag`. */
export function siteOf(point: string): string {
  const dot = point.indexOf('.');
  return dot < 0 ? point : point.slice(0, dot);
}

/** The condition of an alarm rule, as far as this page shows it. */
export type Condition =
  | { kind: 'high' | 'low'; limit: number; deadband?: number }
  | { kind: 'rate'; change: number; windowMs: number }
  | { kind: 'stuck'; samples?: number; durationMs?: number }
  | { kind: 'noData'; intervalMs: number; intervals: number }
  | { kind: 'badQuality'; includeUncertain?: boolean };

/** "> 4.0", "< 0.2", "Δ > 2 in 60 s", … — the limit column. */
export function limitText(c: Condition | undefined): string {
  if (c === undefined) return '—';
  switch (c.kind) {
    case 'high':
      return `> ${c.limit}`;
    case 'low':
      return `< ${c.limit}`;
    case 'rate':
      return `change > ${c.change} in ${durationText(c.windowMs)}`;
    case 'stuck':
      return c.durationMs !== undefined
        ? `unchanged ${durationText(c.durationMs)}`
        : `unchanged ${c.samples ?? '?'} samples`;
    case 'noData':
      return `no data ${durationText(c.intervalMs * c.intervals)}`;
    case 'badQuality':
      return c.includeUncertain === true ? 'bad/uncertain quality' : 'bad quality';
  }
}

export function durationText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(1)} h`;
  return `${+(ms / 86_400_000).toFixed(1)} d`;
}

export function valueText(v: Alarm['value']): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(4));
  return String(v);
}

/** The durations an operator may shelve for (ISA-18.2 §16.3: shelving always expires). */
export const SHELVE_DURATIONS = [
  { label: '1 h', ms: 3_600_000 },
  { label: '8 h', ms: 8 * 3_600_000 },
  { label: '24 h', ms: 24 * 3_600_000 },
] as const;

/** Applies one change from the live stream to the list: the alarm replaces its old self, or leaves it when back to normal. */
export function applyChange(list: readonly Alarm[], changed: Alarm): Alarm[] {
  const rest = list.filter((a) => a.id !== changed.id);
  return changed.status === 'normal' ? rest : [...rest, changed];
}
