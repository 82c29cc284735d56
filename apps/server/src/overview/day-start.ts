/**
 * Local midnight of the day holding `now` in `timeZone` (IANA), as ms epoch: where "today"
 * starts for the supply volume. Computed from the zone's offset (Intl), twice, so a day on which
 * daylight saving time changes still starts at its real midnight.
 */
export function startOfLocalDay(now: number, timeZone: string): number {
  const wall = wallClock(now, timeZone);
  const midnightWall = Date.UTC(wall.year, wall.month - 1, wall.day);
  const guess = midnightWall - offsetAt(now, timeZone);
  return midnightWall - offsetAt(guess, timeZone);
}

/** The server's own zone, for when the config names none. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** True when `timeZone` is one the runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(t: number, timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** ms the zone's wall clock is ahead of UTC at `t`. */
function offsetAt(t: number, timeZone: string): number {
  const w = wallClock(t, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}
