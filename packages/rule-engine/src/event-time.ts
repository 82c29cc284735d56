import type { MessageContext } from '@watershed/rule-sql';

/** Event-time settings of a windowed rule. */
export interface EventTimeOptions {
  /**
   * Where the timestamp is: a dotted path into the message (`payload.ts`, `timestamp`), read as
   * milliseconds since the epoch (numbers) or an ISO 8601 / RFC 3339 string.
   */
  readonly field: string;
  /** How far behind the newest timestamp a message may arrive and still count. Default 0. */
  readonly lateToleranceMs?: number;
}

const utf8 = new TextDecoder();

/** A reader for the event-time field; undefined from it means "no usable timestamp". */
export function eventTimeReader(field: string): (ctx: MessageContext) => number | undefined {
  const path = field.split('.');
  const inPayload = path[0] === 'payload';
  return (ctx) => {
    let v: unknown = inPayload ? decode(ctx.payload) : ctx;
    for (const key of inPayload ? path.slice(1) : path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[key];
    }
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
    if (typeof v === 'string') {
      const t = Date.parse(v);
      return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
  };
}

function decode(p: unknown): unknown {
  if (p instanceof Uint8Array) p = utf8.decode(p);
  if (typeof p !== 'string') return p;
  try {
    return JSON.parse(p) as unknown;
  } catch {
    return undefined;
  }
}
