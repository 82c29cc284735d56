/**
 * MQTT topic names to NATS subjects, one MQTT level per NATS token:
 *
 *   ws/v1/site/node/group/data  →  ws.v1.site.node.group.data
 *
 * NATS reserves `.` (token separator), `*` and `>` (wildcards) and forbids whitespace in a
 * subject; MQTT allows all of them inside a level. Such characters are percent-escaped as
 * `%XX` (their code point in hex), and so is `%` itself, which makes the mapping reversible:
 *
 *   plant 7/p.1/a*b>c  →  plant%207.p%2E1.a%2Ab%3Ec
 *
 * Control characters (below U+0021, and U+007F) are escaped the same way. An empty MQTT level
 * (`a//b`, legal in MQTT) becomes `%00`: NATS has no empty tokens, and U+0000 can never occur
 * in an MQTT topic [MQTT-4.7.3-2], so the two cannot collide. Other characters, including
 * non-ASCII UTF-8, are kept as they are.
 */
// Control characters are what this pattern is about, hence the lint exception.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[%.*>\u0000-\u0020\u007f]/g;

export function escapeLevel(level: string): string {
  if (level.length === 0) return '%00';
  return level.replace(
    NEEDS_ESCAPE,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export function unescapeToken(token: string): string {
  if (token === '%00') return '';
  return token.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `prefix` is already a NATS subject (tokens joined by '.'), e.g. 'plant7'. */
export function topicToSubject(topic: string, prefix = ''): string {
  const subject = topic.split('/').map(escapeLevel).join('.');
  return prefix ? `${prefix}.${subject}` : subject;
}

export function subjectToTopic(subject: string, prefix = ''): string {
  let rest = subject;
  if (prefix) {
    if (!subject.startsWith(`${prefix}.`)) throw new RangeError(`subject ${subject} is not under ${prefix}`);
    rest = subject.slice(prefix.length + 1);
  }
  return rest.split('.').map(unescapeToken).join('/');
}

/** An MQTT filter as a NATS subject filter: `+` → `*`, a trailing `#` → `>`. */
export function filterToSubject(filter: string, prefix = ''): string {
  const levels = filter.split('/');
  const tokens = levels.map((l, i) => {
    if (l === '+') return '*';
    if (l === '#' && i === levels.length - 1) return '>';
    return escapeLevel(l);
  });
  // MQTT 'a/#' also matches 'a' itself [MQTT-4.7.1-2]; NATS 'a.>' does not. Callers that need
  // the parent add it separately; the platform's topics never publish on a bare prefix.
  const subject = tokens.join('.');
  return prefix ? `${prefix}.${subject}` : subject;
}

/** NATS subject matching, token by token, for checking a subject is captured by a stream. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}
