/**
 * Topic name and topic filter rules (MQTT 3.1.1 §4.7, MQTT 5.0 §4.7). Pure functions; each
 * returns `undefined` when valid or a short reason, so callers pick the reaction the protocol
 * version wants (SUBACK failure code, DISCONNECT, thrown catalog error).
 */

/** Prefix of shared subscriptions: `$share/{ShareName}/{filter}` (MQTT 5.0 §4.8.2). */
export const SHARE_PREFIX = '$share/';
/** Prefix of the non-standard but common queue form `$queue/{filter}` (one implicit group). */
export const QUEUE_PREFIX = '$queue/';

export function topicNameError(topic: string, maxLevels: number): string | undefined {
  // [MQTT-4.7.3-1] topic names and filters are at least one character long.
  if (topic.length === 0) return 'empty';
  // [MQTT-3.3.2-2] wildcard characters must not be used in a topic name.
  if (topic.includes('+') || topic.includes('#')) return 'wildcards are not allowed in a topic name';
  // [MQTT-4.7.3-2] no U+0000 in topic names or filters.
  if (topic.includes('\u0000')) return 'contains U+0000';
  if (levelCountExceeds(topic, maxLevels)) return `more than ${maxLevels} levels`;
  return undefined;
}

export function topicFilterError(filter: string, maxLevels: number): string | undefined {
  if (filter.length === 0) return 'empty'; // [MQTT-4.7.3-1]
  if (filter.includes('\u0000')) return 'contains U+0000'; // [MQTT-4.7.3-2]
  if (levelCountExceeds(filter, maxLevels)) return `more than ${maxLevels} levels`;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#')) {
      // [MQTT-4.7.1-2] '#' occupies a whole level and is the last character of the filter.
      if (level !== '#' || i !== levels.length - 1) return "'#' must be the last level on its own";
    } else if (level.includes('+') && level !== '+') {
      // [MQTT-4.7.1-3] '+' occupies an entire level.
      return "'+' must occupy a whole level";
    }
  }
  return undefined;
}

function levelCountExceeds(topic: string, maxLevels: number): boolean {
  let levels = 1;
  for (let i = 0; i < topic.length; i++)
    if (topic.charCodeAt(i) === 47 /* '/' */ && ++levels > maxLevels) return true;
  return false;
}

export interface ParsedFilter {
  /** The filter that is matched against topic names (share prefix removed). */
  readonly filter: string;
  /** Share group name for `$share/{group}/…` and `$queue/…`; undefined for ordinary subscriptions. */
  readonly group: string | undefined;
}

/**
 * Splits a subscription's filter into the matching filter and its share group, and validates
 * both. Returns a reason string when invalid.
 */
export function parseSubscriptionFilter(raw: string, maxLevels: number): ParsedFilter | string {
  let filter = raw;
  let group: string | undefined;
  if (raw.startsWith(SHARE_PREFIX)) {
    const rest = raw.slice(SHARE_PREFIX.length);
    const slash = rest.indexOf('/');
    // [MQTT-4.8.2-1] the ShareName is at least one character and holds no '/', '+' or '#';
    // [MQTT-4.8.2-2] it is followed by '/' and a topic filter.
    if (slash <= 0) return 'shared subscription needs $share/{group}/{filter}';
    group = rest.slice(0, slash);
    if (group.includes('+') || group.includes('#')) return 'share name must not contain wildcards';
    filter = rest.slice(slash + 1);
  } else if (raw.startsWith(QUEUE_PREFIX)) {
    group = '$queue';
    filter = raw.slice(QUEUE_PREFIX.length);
  }
  const err = topicFilterError(filter, maxLevels);
  return err ?? { filter, group };
}

/**
 * True when `topic` matches `filter`. Used for retained messages; live routing uses the trie.
 * [MQTT-4.7.2-1] filters starting with a wildcard do not match topics starting with '$'.
 */
export function topicMatches(filter: string, topic: string): boolean {
  const first = filter.charCodeAt(0);
  if (topic.charCodeAt(0) === 36 /* '$' */ && (first === 43 /* '+' */ || first === 35) /* '#' */)
    return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    // '#' matches the parent level and any number of child levels [MQTT-4.7.1-2].
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
