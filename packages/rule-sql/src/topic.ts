/**
 * MQTT topic filter matching for FROM clauses and the `=~` operator.
 * `+` matches exactly one level, `#` (last level only) matches the parent and any number of levels
 * [MQTT-4.7.1-2]; a filter starting with a wildcard does not match topics starting with `$`
 * [MQTT-4.7.2-1], so `#` never captures `$events/...` or `$SYS/...`.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  let f = 0;
  let t = 0;
  for (;;) {
    const fEnd = nextSlash(filter, f);
    const level = filter.slice(f, fEnd);
    if (level === '#') return fEnd === filter.length;
    if (t > topic.length) return false;
    const tEnd = nextSlash(topic, t);
    if (level !== '+' && level !== topic.slice(t, tEnd)) return false;
    const fDone = fEnd === filter.length;
    const tDone = tEnd === topic.length;
    if (fDone || tDone) {
      if (fDone && tDone) return true;
      // "sport/#" also matches "sport" [MQTT-4.7.1-2]
      return tDone && !fDone && filter.slice(fEnd + 1) === '#';
    }
    f = fEnd + 1;
    t = tEnd + 1;
  }
}

function nextSlash(s: string, from: number): number {
  const i = s.indexOf('/', from);
  return i === -1 ? s.length : i;
}

/** Whether `filter` is a syntactically valid MQTT topic filter (non-empty, wildcards whole levels). */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    if (level.includes('+')) return level === '+';
    return true;
  });
}
