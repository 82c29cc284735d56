import type { IClientPublishOptions } from 'mqtt';
import type { SinkRow } from '@watershed/sink-core';
import { MqttBridgeErrors } from './errors.js';
import type { TopicMapper } from './topic-mapping.js';

/** One MQTT message ready for the remote. */
export interface OutboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  readonly properties?: IClientPublishOptions['properties'];
}

export interface RowMapping {
  readonly mapper: TopicMapper;
  /** Template for rows without a `topic` field: `${field}` takes the row's field. */
  readonly topicTemplate: string | undefined;
  readonly qos: 0 | 1;
  readonly retain: boolean;
}

/**
 * A row becomes one message. Two shapes are understood:
 *  - a raw message: `{ topic, payload, qos?, retain?, properties? }` (what a rule forwarding
 *    messages as they are produces); `payload` is a string (UTF-8), bytes, or a Buffer as it
 *    comes back from the disk queue's JSON (`{ type: 'Buffer', data: [...] }`); any other value
 *    is sent as JSON;
 *  - any other row (a rule output, a sample row): the whole row as a JSON payload, on the row's
 *    `topic` if it has one, else on the rendered topic template.
 * The topic is then rewritten by the mapping rules.
 * Throws WS_ERR_MQTT_BRIDGE_BAD_ROW for a row no topic can be found for.
 */
export function rowToMessage(row: SinkRow, m: RowMapping, index = 0): OutboundMessage {
  const raw = typeof row['topic'] === 'string' && 'payload' in row;
  const source =
    typeof row['topic'] === 'string' ? row['topic'] : renderTemplate(m.topicTemplate, row, index);
  const topic = m.mapper.map(source);
  // [MQTT-4.7.3-1] a topic name is at least one character; [MQTT-3.3.2-2] no wildcards in it.
  if (topic.length === 0 || /[+#]/.test(topic) || topic.includes('\u0000'))
    throw MqttBridgeErrors.BAD_ROW.create([String(index), `"${topic}" is not a valid topic name`]);
  const payload = raw ? toBytes(row['payload']) : Buffer.from(JSON.stringify(row));
  const qos = raw ? rowQos(row['qos'], m.qos) : m.qos;
  const retain = raw && typeof row['retain'] === 'boolean' ? row['retain'] : m.retain;
  const properties = raw ? publishProperties(row['properties']) : undefined;
  return properties ? { topic, payload, qos, retain, properties } : { topic, payload, qos, retain };
}

function renderTemplate(template: string | undefined, row: SinkRow, index: number): string {
  if (template === undefined)
    throw MqttBridgeErrors.BAD_ROW.create([
      String(index),
      'it has no "topic" field and no topic template is set',
    ]);
  return template.replace(/\$\{([^}]+)\}/g, (_, field: string) => {
    const v = row[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw MqttBridgeErrors.BAD_ROW.create([String(index), `topic template field "${field}" is missing`]);
  });
}

function toBytes(payload: unknown): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array)
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (isJsonBuffer(payload)) return Buffer.from(payload.data);
  return Buffer.from(JSON.stringify(payload ?? null));
}

function isJsonBuffer(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((v as { data?: unknown }).data)
  );
}

/** QoS 2 is carried as QoS 1: send() already waits for the remote's ack, and the bridge is at-least-once. */
function rowQos(v: unknown, fallback: 0 | 1): 0 | 1 {
  if (v === 0) return 0;
  if (v === 1 || v === 2) return 1;
  return fallback;
}

/**
 * MQTT 5 properties a bridged message keeps (v3.1.1 connections ignore them). Topic aliases and
 * subscription identifiers belong to one connection, so they never cross a bridge.
 */
function publishProperties(v: unknown): OutboundMessage['properties'] {
  if (typeof v !== 'object' || v === null) return undefined;
  const p = v as Record<string, unknown>;
  const out: NonNullable<OutboundMessage['properties']> = {};
  if (p['payloadFormatIndicator'] === true || p['payloadFormatIndicator'] === false)
    out.payloadFormatIndicator = p['payloadFormatIndicator'];
  if (typeof p['messageExpiryInterval'] === 'number') out.messageExpiryInterval = p['messageExpiryInterval'];
  if (typeof p['contentType'] === 'string') out.contentType = p['contentType'];
  if (typeof p['responseTopic'] === 'string') out.responseTopic = p['responseTopic'];
  if (p['correlationData'] !== undefined && p['correlationData'] !== null)
    out.correlationData = toBytes(p['correlationData']);
  if (typeof p['userProperties'] === 'object' && p['userProperties'] !== null)
    out.userProperties = p['userProperties'] as Record<string, string | string[]>;
  return Object.keys(out).length > 0 ? out : undefined;
}
