import { setMaxListeners } from 'node:events';
import type { Clock, Logger, TimerHandle } from '@watershed/common';
import type { Driver, Readable, TagRef } from '@watershed/driver-sdk';
import { badSample, type Sample } from '@watershed/model';
import type { GroupConfig } from './config.js';
import { EdgeErrors } from './errors.js';
import { LatenessHistogram, RecentWindow } from './lateness-window.js';

export interface PollResult {
  group: string;
  /** Scheduled tick time, ms epoch: samples of one poll share it. */
  ts: number;
  samples: Sample[];
}

export interface GroupStats {
  polls: number;
  /** Polls in which at least one sample came back bad. */
  errors: number;
  overruns: number;
  /** Duration of the last poll, ms. */
  lastPollMs?: number;
  /** Scheduled tick of the last poll, ms epoch. */
  lastPollAt?: number;
  /** How late polls started after their tick, ms, over the last 256 polls. */
  latenessP50Ms: number;
  latenessP99Ms: number;
  /** Every poll's lateness since start, per LATENESS_BUCKETS_MS bucket (see LatenessHistogram). */
  latenessBuckets: number[];
}

/**
 * Polls one group on a drift-free schedule (tick k at start + k × interval). A poll still
 * running at the next tick makes that tick skip and count an overrun, rather than piling reads
 * onto a slow device. A read that throws despite the driver contract still yields bad samples,
 * so the loop never stops.
 */
export class GroupPoller {
  readonly #group: GroupConfig;
  readonly #driver: Driver & Readable;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onPoll: (r: PollResult) => void;
  readonly #refs: TagRef[];
  readonly #stats: Omit<GroupStats, 'latenessP50Ms' | 'latenessP99Ms' | 'latenessBuckets'> = {
    polls: 0,
    errors: 0,
    overruns: 0,
  };
  readonly #lateness = new RecentWindow(256);
  readonly #histogram = new LatenessHistogram();
  #timer: TimerHandle | undefined;
  #inflight: Promise<void> | undefined;
  #abort = new AbortController();
  #start = 0;
  #tick = 0;
  #stopped = false;

  constructor(opts: {
    group: GroupConfig;
    driver: Driver & Readable;
    clock: Clock;
    logger: Logger;
    onPoll: (r: PollResult) => void;
  }) {
    this.#group = opts.group;
    this.#driver = opts.driver;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#onPoll = opts.onPoll;
    this.#refs = opts.group.tags.map((t) => ({ name: t.name, address: t.address, dataType: t.dataType }));
    // A driver splits one poll into many requests (a Modbus read per 125 registers, a CJ/T 188
    // exchange per meter), each watching this signal until it settles and then letting go. The
    // listeners are bounded by one poll's requests, so Node's "possible leak" warning past 10
    // would only be noise in every gateway's log.
    setMaxListeners(0, this.#abort.signal);
  }

  get group(): GroupConfig {
    return this.#group;
  }

  /** A snapshot; the percentiles are computed on each call, so ask at report rate, not per poll. */
  get stats(): GroupStats {
    return {
      ...this.#stats,
      latenessP50Ms: this.#lateness.percentile(50),
      latenessP99Ms: this.#lateness.percentile(99),
      latenessBuckets: this.#histogram.counts(),
    };
  }

  start(): void {
    this.#start = this.#clock.now();
    this.#tick = 0;
    this.#fire();
  }

  /** Stops scheduling, aborts a read in flight and waits for it to settle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#abort.abort(new Error('poller stopped'));
    await this.#inflight;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const interval = this.#group.intervalMs;
    const now = this.#clock.now();
    this.#tick = Math.max(this.#tick + 1, Math.floor((now - this.#start) / interval) + 1);
    this.#timer = this.#clock.setTimeout(() => this.#fire(), this.#start + this.#tick * interval - now);
  }

  #fire(): void {
    if (this.#inflight) {
      this.#stats.overruns++;
      this.#logger.warn(
        { group: this.#group.name, code: EdgeErrors.POLL_OVERRUN.code },
        'poll overrun: tick skipped',
      );
    } else {
      const ts = this.#start + this.#tick * this.#group.intervalMs;
      this.#inflight = this.#poll(ts).finally(() => (this.#inflight = undefined));
    }
    this.#schedule();
  }

  async #poll(ts: number): Promise<void> {
    const began = this.#clock.now();
    const late = Math.max(0, began - ts);
    this.#lateness.add(late);
    this.#histogram.add(late);
    let samples: Sample[];
    try {
      samples = await this.#driver.read(this.#refs, this.#abort.signal);
    } catch (err) {
      if (this.#stopped) return;
      const reason = (err as { code?: string }).code ?? EdgeErrors.READ_FAILED.code;
      this.#logger.warn({ group: this.#group.name, err }, 'read threw; reporting bad quality');
      samples = this.#refs.map(() => badSample(ts, reason));
    }
    if (this.#stopped) return;
    this.#stats.polls++;
    if (samples.some((s) => s.quality === 'bad')) this.#stats.errors++;
    this.#stats.lastPollMs = this.#clock.now() - began;
    this.#stats.lastPollAt = ts;
    this.#onPoll({ group: this.#group.name, ts, samples });
  }
}
