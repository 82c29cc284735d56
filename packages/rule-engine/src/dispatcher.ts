import type { Logger } from '@watershed/common';
import type { MessageContext } from '@watershed/rule-sql';
import type { RuleRuntime } from './rule-runtime.js';
import type { MessageSource, SourceEvent, SourceMessage } from './source.js';

const EVENT_PREFIX = '$events/';

/**
 * A republish action whose topic feeds its own rule would recurse forever, because in-process
 * publishes are delivered synchronously. Past this depth the message is dropped and logged.
 */
const MAX_DEPTH = 8;

interface FilterGroup {
  readonly rules: Set<RuleRuntime>;
  readonly unsubscribe: () => void;
}

/**
 * Routes messages to rules with one source subscription per distinct FROM filter: rules that
 * share a filter share its subscription, so a message costs the bus one match per filter and the
 * engine one loop over the rules that asked for it, never a scan of every rule.
 */
export class Dispatcher {
  readonly #source: MessageSource;
  readonly #logger: Logger;
  readonly #filters = new Map<string, FilterGroup>();
  readonly #events = new Map<string, Set<RuleRuntime>>();
  #unsubscribeEvents: (() => void) | undefined;
  #depth = 0;

  constructor(source: MessageSource, logger: Logger) {
    this.#source = source;
    this.#logger = logger;
  }

  /** Distinct filters the engine is subscribed to (event topics excluded). */
  get subscriptions(): readonly string[] {
    return [...this.#filters.keys()];
  }

  attach(rule: RuleRuntime): void {
    for (const source of new Set(rule.rule.sources)) {
      if (source.startsWith(EVENT_PREFIX)) this.#attachEvent(source, rule);
      else this.#attachFilter(source, rule);
    }
  }

  detach(rule: RuleRuntime): void {
    for (const source of new Set(rule.rule.sources)) {
      if (source.startsWith(EVENT_PREFIX)) {
        const set = this.#events.get(source);
        set?.delete(rule);
        if (set?.size === 0) this.#events.delete(source);
      } else {
        const group = this.#filters.get(source);
        if (!group) continue;
        group.rules.delete(rule);
        if (group.rules.size === 0) {
          this.#filters.delete(source);
          group.unsubscribe();
        }
      }
    }
    if (this.#events.size === 0 && this.#unsubscribeEvents) {
      this.#unsubscribeEvents();
      this.#unsubscribeEvents = undefined;
    }
  }

  #attachFilter(filter: string, rule: RuleRuntime): void {
    const existing = this.#filters.get(filter);
    if (existing) {
      existing.rules.add(rule);
      return;
    }
    const rules = new Set<RuleRuntime>([rule]);
    const unsubscribe = this.#source.subscribe(filter, (m) => this.#onMessage(filter, rules, m));
    this.#filters.set(filter, { rules, unsubscribe });
  }

  #attachEvent(topic: string, rule: RuleRuntime): void {
    let set = this.#events.get(topic);
    if (!set) this.#events.set(topic, (set = new Set()));
    set.add(rule);
    if (!this.#unsubscribeEvents && this.#source.onEvent) {
      this.#unsubscribeEvents = this.#source.onEvent((e) => this.#onEvent(e));
    }
  }

  #onMessage(filter: string, rules: ReadonlySet<RuleRuntime>, m: SourceMessage): void {
    if (this.#depth >= MAX_DEPTH) {
      this.#logger.warn({ topic: m.topic, filter }, 'rule loop: message republished too deep, dropped');
      return;
    }
    const ctx = messageContext(m);
    this.#depth++;
    try {
      for (const rule of rules) if (rule.ownsDelivery(filter, m.topic)) rule.handle(ctx);
    } finally {
      this.#depth--;
    }
  }

  #onEvent(e: SourceEvent): void {
    const rules = this.#events.get(EVENT_PREFIX + e.name);
    if (!rules) return;
    const ctx = eventContext(e);
    for (const rule of rules) rule.handle(ctx);
  }
}

// Shared, frozen parts of a message context: most messages carry no MQTT 5 properties, and
// three fresh objects per message for them were a visible share of the engine's allocation.
// Frozen, because actions must not modify what they are given (README) and these are shared.
const NO_PROPS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_PUB_PROPS = Object.freeze({ 'User-Property': NO_PROPS });
const RETAINED = Object.freeze({ retain: true });
const NOT_RETAINED = Object.freeze({ retain: false });

/** The rule's view of a bus message, with EMQX field names. */
export function messageContext(m: SourceMessage): MessageContext {
  const user = m.userProperties ?? NO_PROPS;
  return {
    topic: m.topic,
    payload: m.payload,
    qos: m.qos,
    retain: m.retain,
    clientid: m.clientId,
    username: m.username,
    peerhost: m.peerhost,
    timestamp: m.receivedAt,
    publish_received_at: m.receivedAt,
    user_properties: user,
    pub_props:
      m.properties === undefined && m.userProperties === undefined
        ? NO_PUB_PROPS
        : { ...m.properties, 'User-Property': user },
    flags: m.retain ? RETAINED : NOT_RETAINED,
  };
}

/** The rule's view of an event: its fields plus `event` (`client.connected`) and `timestamp`. */
export function eventContext(e: SourceEvent): MessageContext {
  const dot = e.name.indexOf('_');
  const event = dot === -1 ? e.name : `${e.name.slice(0, dot)}.${e.name.slice(dot + 1)}`;
  return { timestamp: e.timestamp, ...e.fields, event };
}
