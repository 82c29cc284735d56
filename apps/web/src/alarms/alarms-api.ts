import type { Alarm, Condition } from './alarm-logic.js';
import { requestJson } from './http.js';

export interface HistoryEntry {
  seq: number;
  alarm: string;
  project: string;
  point: string;
  kind: string;
  at: number;
  event: {
    by?: string;
    comment?: string;
    until?: number;
    severity?: string;
    state?: string;
    value?: unknown;
  };
}

const base = '/api/v1/alarms';
const path = (id: string, verb: string) => `${base}/${encodeURIComponent(id)}/${verb}`;

/** The alarms that need attention (console-api alarms/routes.ts). */
export async function listAlarms(signal?: AbortSignal): Promise<Alarm[]> {
  return (await requestJson<{ items: Alarm[] }>('GET', base, { ...(signal && { signal }) })).body.items;
}

/** The limits behind the alarms: alarm id = rule id. */
export async function alarmConditions(signal?: AbortSignal): Promise<Map<string, Condition>> {
  const res = await requestJson<{ items: { rule: { id: string; condition: Condition } }[] }>(
    'GET',
    '/api/v1/alarm-rules',
    { ...(signal && { signal }) },
  );
  return new Map(res.body.items.map((r) => [r.rule.id, r.rule.condition]));
}

export async function alarmHistory(
  q: { limit?: number; cursor?: string },
  signal?: AbortSignal,
): Promise<{ entries: HistoryEntry[]; next?: string }> {
  const params = new URLSearchParams({ limit: String(q.limit ?? 100) });
  if (q.cursor !== undefined) params.set('cursor', q.cursor);
  return (
    await requestJson<{ entries: HistoryEntry[]; next?: string }>(
      'GET',
      `${base}/history?${params.toString()}`,
      {
        ...(signal && { signal }),
      },
    )
  ).body;
}

export async function ackAlarm(id: string, comment: string): Promise<Alarm> {
  const text = comment.trim();
  return (await requestJson<Alarm>('POST', path(id, 'ack'), { body: text === '' ? {} : { comment: text } }))
    .body;
}

export async function shelveAlarm(id: string, durationMs: number, reason: string): Promise<Alarm> {
  return (await requestJson<Alarm>('POST', path(id, 'shelve'), { body: { durationMs, reason } })).body;
}

export async function unshelveAlarm(id: string): Promise<Alarm> {
  return (await requestJson<Alarm>('POST', path(id, 'unshelve'))).body;
}

export async function commentAlarm(id: string, text: string): Promise<Alarm> {
  return (await requestJson<Alarm>('POST', path(id, 'comments'), { body: { text } })).body;
}

/** URL of the alarm change stream (Server-Sent Events, event `alarm` with `{ event, alarm }`). */
export const ALARM_LIVE_URL = `${base}/live`;
