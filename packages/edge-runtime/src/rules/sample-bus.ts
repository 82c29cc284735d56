import type { Sample } from '@watershed/model';
import type { MessageSource, OutboundMessage, SourceMessage } from '@watershed/rule-engine';
import type { TagConfig } from '../config.js';
import { scale } from '../tag-processor.js';

/** Root of the local topics rules read (`samples/{group}`, `samples/{group}/{tag}`). */
export const SAMPLES_ROOT = 'samples';

interface Subscription {
  levels: string[];
  onMessage: (m: SourceMessage) => void;
}

interface GroupRoutes {
  /** Subscriptions matching `samples/{group}`. */
  group: Subscription[];
  /** Whether any subscription could match a `samples/{group}/{tag}` topic. */
  tags: boolean;
}

/**
 * The gateway's samples as a MessageSource for the rule engine. Nothing is built for a topic
 * no rule reads: routes are worked out per group once (again when subscriptions change), so a
 * gateway without rules pays one map lookup per poll. Rules cannot publish onto this bus; their
 * output leaves through their actions.
 */
export class SampleBus implements MessageSource {
  readonly #subs = new Set<Subscription>();
  readonly #routes = new Map<string, GroupRoutes>();

  subscribe(filter: string, onMessage: (m: SourceMessage) => void): () => void {
    const sub: Subscription = { levels: filter.split('/'), onMessage };
    this.#subs.add(sub);
    this.#routes.clear();
    return () => {
      this.#subs.delete(sub);
      this.#routes.clear();
    };
  }

  publish(m: OutboundMessage): void {
    throw new Error(`edge rules publish through their actions, not onto the sample bus (${m.topic})`);
  }

  /** One poll of a group: raw samples in the order of `tags`. */
  feed(group: string, ts: number, tags: readonly TagConfig[], samples: readonly Sample[]): void {
    if (this.#subs.size === 0) return;
    const routes = this.#routesOf(group);
    if (routes.group.length > 0) {
      const payload: Record<string, unknown> = {};
      tags.forEach((tag, i) => {
        const s = samples[i];
        payload[tag.name] = s && s.quality !== 'bad' ? scale(tag, s.value) : null;
      });
      deliver(routes.group, `${SAMPLES_ROOT}/${group}`, JSON.stringify(payload), ts);
    }
    if (!routes.tags) return;
    tags.forEach((tag, i) => {
      const topic = `${SAMPLES_ROOT}/${group}/${tag.name}`;
      const levels = topic.split('/');
      const subs = [...this.#subs].filter((s) => matches(s.levels, levels));
      if (subs.length === 0) return;
      const s = samples[i];
      const value = s && s.quality !== 'bad' ? scale(tag, s.value) : null;
      deliver(subs, topic, JSON.stringify({ value, quality: s?.quality ?? 'bad', ts: s?.ts ?? ts }), ts);
    });
  }

  #routesOf(group: string): GroupRoutes {
    let routes = this.#routes.get(group);
    if (!routes) {
      const groupLevels = [SAMPLES_ROOT, group];
      const subs = [...this.#subs];
      routes = {
        group: subs.filter((s) => matches(s.levels, groupLevels)),
        tags: subs.some((s) => matches(s.levels, [...groupLevels, '\u0000'], true)),
      };
      this.#routes.set(group, routes);
    }
    return routes;
  }
}

function deliver(subs: readonly Subscription[], topic: string, payload: string, ts: number): void {
  const message: SourceMessage = { topic, payload, qos: 0, retain: false, receivedAt: ts };
  for (const s of subs) s.onMessage(message);
}

/**
 * MQTT filter matching [MQTT-4.7.1]: `+` one level, `#` the rest including the parent.
 * `anyLast` treats the topic's last level as "any name" (asks whether some tag could match).
 */
function matches(filter: readonly string[], topic: readonly string[], anyLast = false): boolean {
  for (let i = 0; i < filter.length; i++) {
    const f = filter[i];
    if (f === '#') return true;
    if (i >= topic.length) return false;
    if (f === '+' || (anyLast && i === topic.length - 1)) continue;
    if (f !== topic[i]) return false;
  }
  return filter.length === topic.length;
}
