import type { LiveSample } from '../api/types.js';

/**
 * - `connecting`: first connection not yet open.
 * - `live`: the stream is open; samples arrive as the server publishes them.
 * - `reconnecting`: the stream broke; the browser or we are trying again.
 */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting';

/** The part of the browser's EventSource this class uses, so tests can drive a fake one. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LiveStreamOptions {
  url: string;
  connect?: (url: string) => EventSourceLike;
  timers?: Timers;
  /** Delay before reopening a stream the browser gave up on; doubles up to maxRetryMs. */
  initialRetryMs?: number;
  maxRetryMs?: number;
  /**
   * An open stream with no event (samples or heartbeat) for this long is presumed dead and
   * reopened: a proxy can keep the browser's side of a connection open after the server's
   * side is gone, and the browser then waits forever.
   */
  silenceMs?: number;
}

const CLOSED = 2;

type Listener<T> = (value: T) => void;

/**
 * Owns the console's one connection to `GET /api/v1/live` and fans its samples out to whoever
 * listens; widgets never open connections or poll on their own.
 *
 * EventSource reconnects by itself after a dropped connection, but gives up for good
 * (readyState CLOSED) when a response is not a 200 `text/event-stream` — which is what a proxy
 * in front of a restarting server answers. Then this class opens a new one, with backoff.
 * Each time the stream opens after a failure, `onResync` listeners hear of it, because samples
 * published while we were away are lost to the stream and must be fetched.
 */
export class LiveStream {
  readonly #url: string;
  readonly #connect: (url: string) => EventSourceLike;
  readonly #timers: Timers;
  readonly #initialRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #silenceMs: number;
  readonly #sampleListeners = new Set<Listener<LiveSample[]>>();
  readonly #statusListeners = new Set<Listener<LinkStatus>>();
  readonly #resyncListeners = new Set<Listener<void>>();
  #source: EventSourceLike | undefined;
  #retryTimer: unknown;
  #silenceTimer: unknown;
  #retryMs: number;
  #status: LinkStatus = 'connecting';
  #closed = false;

  constructor(opts: LiveStreamOptions) {
    this.#url = opts.url;
    this.#connect = opts.connect ?? ((url) => new EventSource(url));
    this.#timers = opts.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.#initialRetryMs = opts.initialRetryMs ?? 1000;
    this.#maxRetryMs = opts.maxRetryMs ?? 30_000;
    this.#retryMs = this.#initialRetryMs;
    // The server's own keep-alive is an SSE comment, which EventSource does not surface, so
    // the watchdog must outlast a quiet spell; 90 s without a sample on a polled plant is rare.
    this.#silenceMs = opts.silenceMs ?? 90_000;
  }

  get status(): LinkStatus {
    return this.#status;
  }

  start(): void {
    if (this.#closed || this.#source !== undefined) return;
    this.#open();
  }

  /** Closes the connection and any pending retry; the stream cannot be started again. */
  close(): void {
    this.#closed = true;
    if (this.#retryTimer !== undefined) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#disarmSilence();
    this.#source?.close();
    this.#source = undefined;
  }

  /**
   * Drops the current connection and opens a new one now, for when something else shows the
   * server went away (a failed health check) before the stream noticed. No-op while a retry
   * is already pending.
   */
  reconnect(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    this.#disarmSilence();
    this.#source?.close();
    this.#source = undefined;
    this.#setStatus('reconnecting');
    this.#open();
  }

  onSamples(listener: Listener<LiveSample[]>): () => void {
    return subscribe(this.#sampleListeners, listener);
  }

  onStatus(listener: Listener<LinkStatus>): () => void {
    return subscribe(this.#statusListeners, listener);
  }

  onResync(listener: Listener<void>): () => void {
    return subscribe(this.#resyncListeners, listener);
  }

  #open(): void {
    const source = this.#connect(this.#url);
    this.#source = source;
    source.onopen = () => {
      if (source !== this.#source) return;
      this.#retryMs = this.#initialRetryMs;
      this.#armSilence();
      const resumed = this.#status === 'reconnecting';
      this.#setStatus('live');
      if (resumed) for (const l of this.#resyncListeners) l();
    };
    source.onerror = () => {
      if (source !== this.#source) return;
      this.#disarmSilence();
      this.#setStatus('reconnecting');
      // CONNECTING here means the browser retries by itself; CLOSED means it gave up.
      if (source.readyState === CLOSED) this.#scheduleRetry(source);
    };
    source.addEventListener('heartbeat', () => {
      if (source === this.#source) this.#armSilence();
    });
    source.addEventListener('samples', (ev) => {
      if (source !== this.#source) return;
      this.#armSilence();
      const batch = parseBatch(ev.data);
      if (batch.length === 0) return;
      for (const l of this.#sampleListeners) l(batch);
    });
  }

  #scheduleRetry(source: EventSourceLike): void {
    source.close();
    this.#source = undefined;
    if (this.#closed) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, this.#maxRetryMs);
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#closed) this.#open();
    }, delay);
  }

  #armSilence(): void {
    this.#disarmSilence();
    this.#silenceTimer = this.#timers.setTimeout(() => {
      this.#silenceTimer = undefined;
      this.reconnect();
    }, this.#silenceMs);
  }

  #disarmSilence(): void {
    if (this.#silenceTimer !== undefined) this.#timers.clearTimeout(this.#silenceTimer);
    this.#silenceTimer = undefined;
  }

  #setStatus(status: LinkStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const l of this.#statusListeners) l(status);
  }
}

function subscribe<T>(set: Set<Listener<T>>, listener: Listener<T>): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

/** Keeps the well-formed elements of a `samples` event; a malformed element must not cost the rest. */
export function parseBatch(data: string): LiveSample[] {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: LiveSample[] = [];
  for (const item of raw as unknown[]) {
    if (isLiveSample(item)) out.push(item);
  }
  return out;
}

function isLiveSample(x: unknown): x is LiveSample {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  const v = s['value'];
  return (
    typeof s['point'] === 'string' &&
    typeof s['ts'] === 'number' &&
    (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') &&
    (s['quality'] === 'good' || s['quality'] === 'uncertain' || s['quality'] === 'bad')
  );
}
