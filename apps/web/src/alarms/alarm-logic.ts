import type { Severity } from '@watershed/model';
import { tEn, type Translate } from '../i18n/translate.js';

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
export function stateText(a: Pick<Alarm, 'status' | 'active' | 'acknowledged'>, t: Translate = tEn): string {
  switch (a.status) {
    case 'unack-active':
      return t('alarms.state.unackActive');
    case 'ack-active':
      return t('alarms.state.ackActive');
    case 'unack-cleared':
      return t('alarms.state.unackCleared');
    case 'normal':
      return t('alarms.state.normal');
    case 'shelved':
      return t(a.active ? 'alarms.state.shelvedActive' : 'alarms.state.shelvedCleared');
    case 'out-of-service':
      return t('alarms.state.outOfService');
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
export function limitText(c: Condition | undefined, t: Translate = tEn): string {
  if (c === undefined) return '—';
  switch (c.kind) {
    case 'high':
      return `> ${c.limit}`;
    case 'low':
      return `< ${c.limit}`;
    case 'rate':
      return t('alarms.limit.rate', { change: String(c.change), window: durationText(c.windowMs, t) });
    case 'stuck':
      return c.durationMs !== undefined
        ? t('alarms.limit.stuckFor', { duration: durationText(c.durationMs, t) })
        : t('alarms.limit.stuckSamples', { samples: c.samples ?? '?' });
    case 'noData':
      return t('alarms.limit.noData', { duration: durationText(c.intervalMs * c.intervals, t) });
    case 'badQuality':
      return t(c.includeUncertain === true ? 'alarms.limit.badOrUncertain' : 'alarms.limit.bad');
  }
}

export function durationText(ms: number, t: Translate = tEn): string {
  if (ms < 60_000) return t('age.s', { n: Math.round(ms / 1000) });
  if (ms < 3_600_000) return t('age.min', { n: Math.round(ms / 60_000) });
  if (ms < 86_400_000) return t('age.h', { n: +(ms / 3_600_000).toFixed(1) });
  return t('age.d', { n: +(ms / 86_400_000).toFixed(1) });
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
