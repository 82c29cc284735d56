import type { SinkRow } from '@watershed/sink-core';
import { createHash } from 'node:crypto';
import { NatsSinkErrors } from './errors.js';
import { topicToSubject } from './subject-mapping.js';

/** One JetStream message ready to publish. */
export interface StreamMessage {
  readonly subject: string;
  readonly payload: Uint8Array;
  /** Sent as the Nats-Msg-Id header: the server drops a repeat within the duplicate window. */
  readonly msgId: string;
}

export interface RowMapping {
  readonly subjectPrefix: string;
  /** MQTT-style topic template for rows without `topic`; `${field}` takes the row's field. */
  readonly topicTemplate: string | undefined;
  readonly msgIdFields: readonly string[] | undefined;
}

/**
 * A row becomes one message:
 *  - a raw MQTT message `{ topic, payload }` keeps its payload bytes (string as UTF-8, bytes, or
 *    a Buffer as JSON from the disk queue); its topic maps to the subject;
 *  - any other row is sent as JSON, on its `topic` field or the rendered template.
 *
 * The message id must be the same every time the same row is sent (after a retry or a crash and
 * a replay from the disk queue) and differ between rows: `msgIdFields` when configured; else
 * `point@ts` for rows that have both (a sample or a rule output per point and time); else a
 * SHA-256 digest of subject and payload (an uplink message carries node, group, seq and ts, so
 * identical content is the same message).
 */
export function rowToMessage(row: SinkRow, m: RowMapping, index = 0): StreamMessage {
  const raw = typeof row['topic'] === 'string' && 'payload' in row;
  const topic = typeof row['topic'] === 'string' ? row['topic'] : renderTemplate(m.topicTemplate, row, index);
  if (topic.length === 0) throw NatsSinkErrors.BAD_ROW.create([String(index), 'empty topic']);
  const subject = topicToSubject(topic, m.subjectPrefix);
  const payload = raw ? toBytes(row['payload']) : Buffer.from(JSON.stringify(row));
  return { subject, payload, msgId: messageId(row, subject, payload, m.msgIdFields, index) };
}

function messageId(
  row: SinkRow,
  subject: string,
  payload: Uint8Array,
  fields: readonly string[] | undefined,
  index: number,
): string {
  if (fields) return fields.map((f) => scalar(row, f, index, 'msgIdFields')).join('@');
  const point = row['point'];
  const ts = row['ts'];
  if (typeof point === 'string' && (typeof ts === 'number' || typeof ts === 'string'))
    return `${point}@${ts}`;
  return createHash('sha256').update(subject).update('\u0000').update(payload).digest('base64url');
}

function renderTemplate(template: string | undefined, row: SinkRow, index: number): string {
  if (template === undefined)
    throw NatsSinkErrors.BAD_ROW.create([
      String(index),
      'it has no "topic" field and no topic template is set',
    ]);
  // Rendered first, mapped after: a '.' in a point id stays inside its level (escaped as %2E).
  return template.replace(/\$\{([^}]+)\}/g, (_, field: string) =>
    scalar(row, field, index, 'topic template'),
  );
}

function scalar(row: SinkRow, field: string, index: number, what: string): string {
  const v = row[field];
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw NatsSinkErrors.BAD_ROW.create([String(index), `${what} field "${field}" is missing`]);
}

function toBytes(payload: unknown): Uint8Array {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return payload;
  if (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((payload as { data?: unknown }).data)
  )
    return Buffer.from((payload as { data: number[] }).data);
  return Buffer.from(JSON.stringify(payload ?? null));
}
