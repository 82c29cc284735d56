import { MqttBridgeErrors } from './errors.js';

/**
 * One mapping rule: topics matching the MQTT filter `from` are rewritten to `to`.
 * Each `+` in `to` takes the level the corresponding `+` of `from` matched (in order), and a
 * trailing `#` in `to` takes everything the trailing `#` of `from` matched.
 *
 *   { from: 'ws/v1/#',     to: 'office/plant7/#' }    add a prefix after stripping one
 *   { from: 'ws/v1/#',     to: '#' }                  strip a prefix
 *   { from: '#',           to: 'plant7/#' }           add a prefix
 *   { from: 'ws/v1/+/+/+/data', to: 'office/+/+/+' }  reshape
 */
export interface TopicMappingRule {
  readonly from: string;
  readonly to: string;
}

interface CompiledRule {
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly multi: boolean;
}

/**
 * Rewrites topic names by the first matching rule; a topic no rule matches keeps its name, so
 * an empty rule list is the identity. Rules are checked once at construction, so a bad mapping
 * fails at start-up, not on the first message.
 */
export class TopicMapper {
  readonly #rules: readonly CompiledRule[];

  constructor(rules: readonly TopicMappingRule[] = []) {
    this.#rules = rules.map(compile);
  }

  /** The mapped topic; `undefined` never: unmatched topics pass through unchanged. */
  map(topic: string): string {
    const levels = topic.split('/');
    for (const rule of this.#rules) {
      const out = apply(rule, levels);
      if (out !== undefined) return out;
    }
    return topic;
  }
}

function compile(rule: TopicMappingRule): CompiledRule {
  const from = rule.from.split('/');
  const to = rule.to.split('/');
  const fail = (why: string): never => {
    throw MqttBridgeErrors.BAD_MAPPING.create([`${rule.from} -> ${rule.to}`, why]);
  };
  checkFilter(from, fail);
  checkFilter(to, fail);
  const multi = from[from.length - 1] === '#';
  const plusFrom = from.filter((l) => l === '+').length;
  const plusTo = to.filter((l) => l === '+').length;
  if (plusTo > plusFrom) fail(`"to" has ${plusTo} "+" but "from" only ${plusFrom}`);
  if (to[to.length - 1] === '#' && !multi) fail('"to" ends with "#" but "from" does not');
  if (multi && to[to.length - 1] !== '#')
    fail('"from" ends with "#", so "to" must too (or nothing would carry)');
  return { from, to, multi };
}

/** [MQTT-4.7.1-1]/[MQTT-4.7.1-2]: '#' only last and alone in its level; '+' alone in its level. */
function checkFilter(levels: readonly string[], fail: (why: string) => never): void {
  levels.forEach((l, i) => {
    if (l.includes('#') && (l !== '#' || i !== levels.length - 1)) fail('"#" must be the whole last level');
    if (l.includes('+') && l !== '+') fail('"+" must be a whole level');
  });
}

function apply(rule: CompiledRule, levels: readonly string[]): string | undefined {
  const fixed = rule.multi ? rule.from.length - 1 : rule.from.length;
  if (rule.multi ? levels.length < fixed : levels.length !== fixed) return undefined;
  // [MQTT-4.7.2-1]: wildcards at the first level do not match topics starting with '$'.
  if ((rule.from[0] === '+' || rule.from[0] === '#') && levels[0]?.startsWith('$')) return undefined;
  const plus: string[] = [];
  for (let i = 0; i < fixed; i++) {
    const f = rule.from[i]!;
    if (f === '+') plus.push(levels[i]!);
    else if (f !== levels[i]) return undefined;
  }
  // '#' also matches the parent level itself [MQTT-4.7.1-2]: 'a/#' matches 'a', rest is empty.
  const rest = rule.multi ? levels.slice(fixed) : [];
  const out: string[] = [];
  let p = 0;
  for (const t of rule.to) {
    if (t === '+') out.push(plus[p++]!);
    else if (t === '#') out.push(...rest);
    else out.push(t);
  }
  return out.join('/');
}
