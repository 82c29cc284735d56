/**
 * What a rule sees of one message or event. Brokers and edge runtimes fill what they have;
 * `payload` may be raw bytes, text or an already-decoded value — it is JSON-decoded at most
 * once, and only when the rule reads a path inside it (`payload.x`).
 */
export interface MessageContext {
  readonly topic?: string;
  readonly payload?: unknown;
  readonly qos?: number;
  readonly retain?: boolean;
  readonly clientid?: string;
  readonly username?: string;
  readonly peerhost?: string;
  /** Milliseconds since the epoch (EMQX `timestamp`). */
  readonly timestamp?: number;
  readonly node?: string;
  readonly pub_props?: Readonly<Record<string, unknown>>;
  readonly user_properties?: Readonly<Record<string, unknown>>;
  /** For events: `client.connected`, `message.delivered` … (EMQX event names). */
  readonly event?: string;
  readonly [field: string]: unknown;
}

const utf8 = new TextDecoder();
/**
 * Node's Buffer decodes a short payload several times faster than TextDecoder (no options or
 * stream state per call); this package also runs in the browser (the console's SQL editor),
 * where there is no Buffer and TextDecoder is used.
 */
const NodeBuffer = (globalThis as { Buffer?: { isBuffer(x: unknown): x is { toString(): string } } }).Buffer;

function text(p: Uint8Array): string {
  return NodeBuffer?.isBuffer(p) ? p.toString() : utf8.decode(p);
}

/** Payload as EMQX shows it when selected whole: text for bytes, values as given. */
export function rawPayload(p: unknown): unknown {
  return p instanceof Uint8Array ? text(p) : p;
}

/**
 * The decoded payload. Text that is not JSON decodes to undefined (so `payload.x` is null, as in
 * EMQX), never an error: a rule on a mixed topic tree should skip, not fail, non-JSON messages.
 */
export function decodePayload(p: unknown): unknown {
  if (p instanceof Uint8Array) p = text(p);
  if (typeof p !== 'string') return p;
  try {
    return JSON.parse(p) as unknown;
  } catch {
    return undefined;
  }
}

/** Bounds of the window a group result belongs to (milliseconds; counts for COUNTWINDOW). */
export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

/** Per-evaluation state threaded through compiled closures. One per message (or group emit). */
export class Frame {
  readonly ctx: MessageContext;
  /** Output row being built; later fields and WHERE read earlier aliases from it. */
  out: Record<string, unknown> = {};
  /** Current FOREACH element. */
  item: unknown = undefined;
  /** Results of analytic calls for this message, by slot. */
  analytic: unknown[] = [];
  /** Aggregate results for a group emit, by aggregate index. */
  aggs: readonly unknown[] = [];
  window: WindowBounds | undefined = undefined;
  #decoded = false;
  #payload: unknown;

  constructor(ctx: MessageContext) {
    this.ctx = ctx;
  }

  payload(): unknown {
    if (!this.#decoded) {
      this.#payload = decodePayload(this.ctx.payload);
      this.#decoded = true;
    }
    return this.#payload;
  }
}
