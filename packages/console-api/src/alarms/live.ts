import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '@watershed/common';
import type { AlarmEvent, AlarmState } from '@watershed/alarms';

/**
 * One Server-Sent Events connection (WHATWG HTML §9.2) carrying alarm changes as `alarm` events
 * (`{ event, alarm }`), so the console's alarm list and banner update without polling. Alarm
 * changes are rare and each matters, so nothing is coalesced; a `heartbeat` event keeps proxies
 * and the browser's watchdog content on a quiet stream. Owns its response and its timer.
 */
export class AlarmStream {
  readonly #res: ServerResponse;
  readonly #clock: Clock;
  #heartbeat: TimerHandle | undefined;
  #onClose: (() => void) | undefined;
  #closed = false;

  constructor(res: ServerResponse, clock: Clock) {
    this.#res = res;
    this.#clock = clock;
  }

  get closed(): boolean {
    return this.#closed;
  }

  start(heartbeatMs: number, onClose: () => void): void {
    this.#onClose = onClose;
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.#res.write('retry: 2000\n: connected\n\n');
    this.#res.on('close', () => this.close());
    if (this.#res.destroyed) {
      this.close();
      return;
    }
    this.#heartbeat = this.#clock.setInterval(() => this.#write('heartbeat', '{}'), heartbeatMs);
    this.#heartbeat.unref?.();
  }

  send(event: AlarmEvent, alarm: AlarmState): void {
    this.#write('alarm', JSON.stringify({ event, alarm }));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat) this.#clock.clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    if (!this.#res.writableEnded) this.#res.end();
    this.#onClose?.();
  }

  #write(name: string, data: string): void {
    if (this.#closed) return;
    this.#res.write(`event: ${name}\ndata: ${data}\n\n`);
  }
}
