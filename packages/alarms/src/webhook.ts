import { silentLogger, sleep, type Clock, type Logger } from '@watershed/common';
import { AlarmErrors } from './errors.js';
import type { AlarmEvent, AlarmState } from './state.js';

export interface WebhookNotifierOptions {
  /** Where each notification is POSTed as JSON `{ event, alarm }`. */
  url: string;
  clock: Clock;
  logger?: Logger;
  /** Extra request headers (an authorisation token of the receiver). */
  headers?: Record<string, string>;
  /** Notifications waiting at most; beyond it the oldest is dropped and counted. Default 1000. */
  maxQueue?: number;
  /** Tries per notification, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff between tries: doubles from `initialMs` up to `maxMs`. Defaults 500 ms, 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** One request's limit. Default 5 s. */
  timeoutMs?: number;
  /** Which events to send; default: those meant to be announced (not shelved, not comments). */
  filter?: (event: AlarmEvent) => boolean;
}

/** The counts always add up: queued + inflight + sent + failed + dropped = accepted. */
export interface NotifierStats {
  accepted: number;
  queued: number;
  inflight: number;
  sent: number;
  failed: number;
  dropped: number;
}

interface Job {
  body: string;
  alarm: string;
}

/**
 * Sends alarm events to an HTTP endpoint (a chat bot, a paging gateway). One sender at a time
 * keeps the receiver's order; a failure (network error, timeout, 5xx, 429) is retried with
 * exponential backoff on the injected clock; a 4xx answer is final. The queue is bounded: an
 * unreachable receiver costs at most `maxQueue` entries of memory, and every loss is counted.
 * Call `close` to stop: it aborts the request and the backoff in flight and ends the worker.
 */
export class WebhookNotifier {
  readonly #opts: Required<Omit<WebhookNotifierOptions, 'logger' | 'headers' | 'filter'>>;
  readonly #headers: Record<string, string>;
  readonly #filter: (event: AlarmEvent) => boolean;
  readonly #log: Logger;
  readonly #queue: Job[] = [];
  readonly #stop = new AbortController();
  readonly #stats: NotifierStats = { accepted: 0, queued: 0, inflight: 0, sent: 0, failed: 0, dropped: 0 };
  #worker: Promise<void> | undefined;

  constructor(opts: WebhookNotifierOptions) {
    this.#opts = {
      url: opts.url,
      clock: opts.clock,
      maxQueue: opts.maxQueue ?? 1000,
      maxAttempts: opts.maxAttempts ?? 5,
      backoff: opts.backoff ?? { initialMs: 500, maxMs: 30_000 },
      timeoutMs: opts.timeoutMs ?? 5000,
    };
    this.#headers = { 'content-type': 'application/json', ...opts.headers };
    this.#filter = opts.filter ?? ((e) => e.announce);
    this.#log = opts.logger ?? silentLogger();
  }

  /** An AlarmEngine listener: `engine.subscribe(notifier.listener)`. */
  readonly listener = (event: AlarmEvent, state: AlarmState): void => {
    if (this.#filter(event)) this.notify(event, state);
  };

  /** Queues one notification; never blocks and never throws while open. */
  notify(event: AlarmEvent, alarm: AlarmState): void {
    if (this.#stop.signal.aborted) throw AlarmErrors.NOTIFIER_CLOSED.create([this.#opts.url]);
    this.#stats.accepted++;
    if (this.#queue.length >= this.#opts.maxQueue) {
      this.#queue.shift();
      this.#stats.dropped++;
      this.#stats.queued--;
    }
    this.#queue.push({ alarm: event.alarm, body: JSON.stringify({ event, alarm }) });
    this.#stats.queued++;
    this.#kick();
  }

  /** Starts the worker unless it runs; a job queued while it was finishing starts it again. */
  #kick(): void {
    if (this.#worker || this.#stop.signal.aborted) return;
    this.#worker = this.#run().finally(() => {
      this.#worker = undefined;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  stats(): NotifierStats {
    return { ...this.#stats };
  }

  /** Resolves once the queue is empty (every notification sent, failed or dropped). */
  async drained(): Promise<void> {
    while (this.#worker) await this.#worker;
  }

  async close(): Promise<void> {
    this.#stop.abort(AlarmErrors.NOTIFIER_CLOSED.create([this.#opts.url]));
    await this.#worker;
    this.#stats.dropped += this.#queue.length;
    this.#stats.queued -= this.#queue.length;
    this.#queue.length = 0;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const job = this.#queue.shift();
      if (!job) return;
      this.#stats.queued--;
      this.#stats.inflight++;
      const ok = await this.#deliver(job, signal);
      this.#stats.inflight--;
      if (ok === undefined) {
        // Closed mid-delivery: it never got through.
        this.#stats.dropped++;
        return;
      }
      if (ok) this.#stats.sent++;
      else this.#stats.failed++;
    }
  }

  /** true sent, false given up, undefined closed meanwhile. */
  async #deliver(job: Job, signal: AbortSignal): Promise<boolean | undefined> {
    let wait = this.#opts.backoff.initialMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#post(job, signal);
      if (signal.aborted) return undefined;
      if (outcome === 'ok') return true;
      if (outcome === 'final' || attempt >= this.#opts.maxAttempts) {
        this.#log.warn({ url: this.#opts.url, alarm: job.alarm, attempt }, 'alarm webhook gave up');
        return false;
      }
      try {
        await sleep(this.#opts.clock, wait, signal);
      } catch {
        return undefined;
      }
      wait = Math.min(wait * 2, this.#opts.backoff.maxMs);
    }
  }

  async #post(job: Job, stop: AbortSignal): Promise<'ok' | 'retry' | 'final'> {
    const timeout = new AbortController();
    const timer = this.#opts.clock.setTimeout(() => timeout.abort(), this.#opts.timeoutMs);
    try {
      const res = await fetch(this.#opts.url, {
        method: 'POST',
        headers: this.#headers,
        body: job.body,
        signal: AbortSignal.any([stop, timeout.signal]),
      });
      await res.body?.cancel();
      if (res.ok) return 'ok';
      this.#log.warn({ url: this.#opts.url, status: res.status, alarm: job.alarm }, 'alarm webhook refused');
      return res.status >= 500 || res.status === 429 ? 'retry' : 'final';
    } catch (err) {
      this.#log.warn({ err, url: this.#opts.url, alarm: job.alarm }, 'alarm webhook unreachable');
      return 'retry';
    } finally {
      this.#opts.clock.clearTimeout(timer);
    }
  }
}
