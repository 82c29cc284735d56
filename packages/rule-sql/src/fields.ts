import { RuleSqlErrors, closest, ruleError, type SourcePos } from './errors.js';
import { isValidFilter } from './topic.js';

/**
 * Context fields a rule may name, per source. Message fields follow EMQX's "message publish"
 * source; event fields follow EMQX's "Data Sources and Fields" for each `$events/...` topic, so
 * rules written for EMQX keep working where the field exists here.
 */
const COMMON = ['event', 'timestamp', 'node', 'clientid', 'username', 'metadata'] as const;

const MESSAGE = [
  'id',
  'payload',
  'topic',
  'qos',
  'retain',
  'flags',
  'headers',
  'peerhost',
  'peername',
  'pub_props',
  'user_properties',
  'publish_received_at',
] as const;

const DELIVERY = [...MESSAGE, 'from_clientid', 'from_username'] as const;

const CONNECTION = ['peername', 'sockname', 'proto_name', 'proto_ver', 'mountpoint'] as const;

export const EVENT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  client_connected: [
    ...CONNECTION,
    'keepalive',
    'clean_start',
    'expiry_interval',
    'is_bridge',
    'connected_at',
    'conn_props',
    'client_attrs',
  ],
  client_disconnected: [...CONNECTION, 'reason', 'disconnected_at', 'disconn_props'],
  client_connack: [...CONNECTION, 'reason_code', 'keepalive', 'clean_start', 'expiry_interval', 'conn_props'],
  client_check_authz_complete: ['peerhost', 'topic', 'action', 'authz_source', 'result'],
  client_check_authn_complete: ['peername', 'reason_code', 'is_anonymous', 'is_superuser'],
  session_subscribed: ['peerhost', 'topic', 'qos', 'sub_props'],
  session_unsubscribed: ['peerhost', 'topic', 'qos', 'unsub_props'],
  message_delivered: DELIVERY,
  message_acked: [...DELIVERY, 'puback_props'],
  message_dropped: [...MESSAGE, 'reason'],
  delivery_dropped: [...DELIVERY, 'reason'],
};

export const EVENT_PREFIX = '$events/';

/** The event name of an event topic (`$events/client_connected` → `client_connected`). */
export function eventName(source: string): string | undefined {
  return source.startsWith(EVENT_PREFIX) ? source.slice(EVENT_PREFIX.length) : undefined;
}

/** Fields visible to a rule reading `sources`: the union of what each source provides. */
export function fieldsFor(sources: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>(COMMON);
  for (const s of sources) {
    const ev = eventName(s);
    for (const f of ev === undefined ? MESSAGE : (EVENT_FIELDS[ev] ?? [])) out.add(f);
  }
  return out;
}

/** Rejects a FROM source that is neither a valid topic filter nor a known event topic. */
export function checkSource(topic: string, pos: SourcePos): void {
  const ev = eventName(topic);
  if (ev !== undefined) {
    if (ev in EVENT_FIELDS) return;
    const near = closest(ev, Object.keys(EVENT_FIELDS));
    throw ruleError(RuleSqlErrors.SEMANTIC, [pos.line, pos.column, `unknown event topic "${topic}"`], {
      ...pos,
      expected: 'an $events/… topic',
      hint: near[0]
        ? `did you mean "$events/${near[0]}"?`
        : `known events: ${Object.keys(EVENT_FIELDS).join(', ')}`,
    });
  }
  if (!isValidFilter(topic)) {
    throw ruleError(RuleSqlErrors.SEMANTIC, [pos.line, pos.column, `invalid topic filter "${topic}"`], {
      ...pos,
      expected: 'an MQTT topic filter',
      hint: '"+" and "#" must fill a whole level; "#" only last',
    });
  }
}
