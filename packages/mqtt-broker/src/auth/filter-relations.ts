/**
 * Relations between two topic filters, for ACL decisions on SUBSCRIBE, where the request is
 * itself a filter. Both take filters already split on '/'.
 */

/** True when every topic `inner` can match is also matched by `outer` (allow rules). */
export function filterCovers(outer: readonly string[], inner: readonly string[]): boolean {
  for (let i = 0; i < outer.length; i++) {
    const o = outer[i]!;
    if (o === '#') return !dollarMismatch(outer, inner, i);
    const n = inner[i];
    if (n === undefined || n === '#') return false;
    if (o === '+') {
      if (i === 0 && n.startsWith('$')) return false; // [MQTT-4.7.2-1]
      continue;
    }
    if (n === '+' || n !== o) return false;
  }
  return outer.length === inner.length;
}

/** True when some topic is matched by both filters (deny rules: any overlap is refused). */
export function filtersIntersect(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === '#' || y === '#') return !(i === 0 && startsWithDollar(x === '#' ? y : x));
    if (x === undefined || y === undefined) return x === y;
    if (x === '+' || y === '+') {
      if (i === 0 && startsWithDollar(x === '+' ? y : x)) return false;
      continue;
    }
    if (x !== y) return false;
  }
}

function startsWithDollar(level: string | undefined): boolean {
  return level !== undefined && level.startsWith('$');
}

/** A leading '#' does not reach `$`-topics [MQTT-4.7.2-1], so it does not cover a `$` filter. */
function dollarMismatch(outer: readonly string[], inner: readonly string[], i: number): boolean {
  return i === 0 && startsWithDollar(inner[0]);
}
