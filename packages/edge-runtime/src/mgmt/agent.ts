import type { Clock, Logger, TimerHandle } from '@watershed/common';
import {
  decodeConfigPush,
  decodeWriteRequest,
  mgmtTopic,
  type ConfigAck,
  type LogTail as LogTailMessage,
  type MgmtChannel,
  type WriteResult,
} from '@watershed/model';
import { EdgeErrors } from '../errors.js';
import type { WriteHandler } from '../write/write-handler.js';
import type { ConfigApplier } from './config-apply.js';
import type { LogTail } from './log-tail.js';
import type { StatusReporter } from './status-reporter.js';

/** The slice of the uplink the agent uses: its MQTT client's control side. */
export interface ControlLink {
  subscribe(topic: string, onMessage: (payload: Buffer) => void): void;
  publishDirect(topic: string, payload: string, opts: { retain: boolean }): Promise<void>;
}

export interface MgmtAgentOptions {
  site: string;
  node: string;
  clock: Clock;
  logger: Logger;
  link: ControlLink;
  applier: ConfigApplier;
  writes: WriteHandler;
  reporter: StatusReporter;
  logTail?: LogTail;
  /** Period of `mgmt/metrics` reports and `mgmt/log` tail updates, seconds. */
  reportIntervalS: number;
}

/** How often device link states are compared, so a change is reported without waiting a period. */
const CHANGE_CHECK_MS = 1000;

/**
 * The gateway's side of the management channel (`ws/v1/{site}/{node}/mgmt/...`):
 *  - `config` → validated, applied or rolled back by the ConfigApplier → `ack`;
 *  - `write` → carried out by the WriteHandler → `write-result`;
 *  - `metrics` ← the StatusReporter's report every period and whenever a device's link state
 *    changes; `log` ← the log tail (retained) when it has new lines, at most once per period.
 * Every message handled is a task the agent owns; `close` waits for them.
 */
export class MgmtAgent {
  readonly #o: MgmtAgentOptions;
  /** Work in progress (a config apply, a write): `close` waits for it. */
  readonly #tasks = new Set<Promise<void>>();
  #timer: TimerHandle | undefined;
  #lastReport = Number.NEGATIVE_INFINITY;
  #lastLog = Number.NEGATIVE_INFINITY;
  #logRevision = 0;
  #links = '';
  #closed = false;

  constructor(opts: MgmtAgentOptions) {
    this.#o = opts;
  }

  start(): void {
    const { link } = this.#o;
    // A gateway shutting down takes no new commands; the console times out and asks again.
    link.subscribe(this.#topic('config'), (p) => {
      if (!this.#closed) this.#track(this.#onConfig(p));
    });
    link.subscribe(this.#topic('write'), (p) => {
      if (!this.#closed) this.#track(this.#onWrite(p));
    });
    this.#links = this.#o.reporter.linkSignature();
    const every = Math.min(CHANGE_CHECK_MS, this.#o.reportIntervalS * 1000);
    this.#timer = this.#o.clock.setInterval(() => this.#tick(), every);
    this.#timer.unref?.();
  }

  /** Publishes a report now (after a config change, the catalog and devices are new). */
  reportNow(): void {
    if (this.#closed) return;
    this.#lastReport = this.#o.clock.now();
    this.#links = this.#o.reporter.linkSignature();
    this.#send('metrics', this.#o.reporter.report(), false);
  }

  /** Stops reporting and waits for messages in progress (a config apply, a write) to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) this.#o.clock.clearInterval(this.#timer);
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }

  #tick(): void {
    if (this.#closed) return;
    const now = this.#o.clock.now();
    const period = this.#o.reportIntervalS * 1000;
    if (now - this.#lastReport >= period || this.#o.reporter.linkSignature() !== this.#links)
      this.reportNow();
    const tail = this.#o.logTail;
    if (tail && tail.revision !== this.#logRevision && now - this.#lastLog >= period) {
      this.#lastLog = now;
      this.#logRevision = tail.revision;
      const msg: LogTailMessage = {
        v: 1,
        node: this.#o.node,
        ts: now,
        lines: tail.lines(),
        dropped: tail.dropped,
      };
      this.#send('log', msg, true);
    }
  }

  async #onConfig(payload: Buffer): Promise<void> {
    const { applier, node, clock } = this.#o;
    const decoded = decodeConfigPush(payload);
    let ack: ConfigAck;
    if (!decoded.ok) {
      const version = (decoded.value as { version?: unknown } | undefined)?.version;
      ack = {
        v: 1,
        node,
        ts: clock.now(),
        version: Number.isInteger(version) && (version as number) >= 0 ? (version as number) : 0,
        result: 'rejected',
        running: applier.running.version,
        code: EdgeErrors.BAD_MESSAGE.code,
        errors: decoded.errors.map((e) => ({
          path: e.path,
          message: e.message,
          code: EdgeErrors.BAD_MESSAGE.code,
        })),
      };
      this.#o.logger.warn({ errors: decoded.errors }, 'malformed config push rejected');
    } else {
      const outcome = await applier.apply(decoded.message);
      ack = { v: 1, node, ts: clock.now(), ...outcome };
    }
    this.#send('ack', ack, false);
    if (ack.result === 'applied') this.reportNow();
  }

  async #onWrite(payload: Buffer): Promise<void> {
    const decoded = decodeWriteRequest(payload);
    let result: WriteResult;
    if (!decoded.ok) {
      const v = decoded.value as { id?: unknown; point?: unknown } | undefined;
      if (typeof v?.id !== 'string') {
        this.#o.logger.warn({ errors: decoded.errors }, 'write request without an id dropped');
        return;
      }
      const error = EdgeErrors.BAD_MESSAGE.create([
        'write',
        decoded.errors.map((e) => `${e.path} ${e.message}`).join('; '),
      ]);
      result = {
        v: 1,
        id: v.id,
        point: typeof v.point === 'string' ? v.point : '',
        ok: false,
        ts: this.#o.clock.now(),
        code: error.code,
        message: error.message,
      };
    } else {
      result = await this.#o.writes.handle(decoded.message);
    }
    this.#send('write-result', result, false);
  }

  /**
   * Hands a message to the link without waiting for its PUBACK: while the link is down mqtt.js
   * holds it until the reconnect, and neither the next message nor `close` should wait for
   * that. A failure is logged; the console times out and asks again.
   */
  #send(channel: MgmtChannel, body: object, retain: boolean): void {
    this.#o.link
      .publishDirect(this.#topic(channel), JSON.stringify(body), { retain })
      .catch((err: unknown) => this.#o.logger.warn({ err, channel }, 'management message not sent'));
  }

  #topic(channel: MgmtChannel): string {
    return mgmtTopic(this.#o.site, this.#o.node, channel);
  }

  #track(task: Promise<void>): void {
    const owned = task
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'management message not handled'))
      .finally(() => this.#tasks.delete(owned));
    this.#tasks.add(owned);
  }
}
