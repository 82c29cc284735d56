/**
 * Activations the master sends and the confirmations it waits for (IEC 60870-5-101 §7.2.3,
 * 104 §7.2 of the command procedures): an activation (COT 6) is answered by an activation
 * confirmation (COT 7, P/N = 0 positive, 1 negative) and, for commands that run, an activation
 * termination (COT 10). A station that does not know the type, cause, common address or IOA
 * mirrors the ASDU with COT 44–47 and P/N = 1.
 *
 * One activation per type and IOA is outstanding at a time; a second waits for the first.
 * Confirmation and termination are tracked as one state machine from the moment the ASDU is sent,
 * so a termination that arrives in the same TCP segment as its confirmation is not missed.
 */
import type { Clock, TimerHandle } from '@watershed/common';
import type { Asdu, DecodedAsdu } from '../codec/asdu.js';
import type { InfoObject } from '../codec/elements.js';
import { Cot, typeName } from '../codec/types.js';
import { Iec104Errors } from '../errors.js';

/** What the tracker needs of the link (MasterLink provides it). */
export interface CommandLink {
  /** Sends an ASDU or throws a catalog error when data transfer is not started. */
  send(asdu: Asdu): void;
  countRequest(): void;
  countOutcome(result: { rttMs: number } | { error: unknown }): void;
}

export interface Activation {
  typeId: number;
  object: InfoObject;
  /** 'con': done on positive confirmation; 'term': done on termination. */
  until: 'con' | 'term';
}

interface Pending {
  readonly activation: Activation;
  phase: 'con' | 'term';
  timer: TimerHandle | undefined;
  readonly sentAt: number;
  resolve(): void;
  reject(err: Error): void;
}

const NEGATIVE_CAUSES = new Set<number>([Cot.UNKNOWN_TYPE, Cot.UNKNOWN_COT, Cot.UNKNOWN_CA, Cot.UNKNOWN_IOA]);

export class CommandTracker {
  readonly #link: CommandLink;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #address: { commonAddress: number; originator: number };
  readonly #pending = new Map<string, Pending>();
  readonly #queues = new Map<string, Promise<void>>();

  constructor(
    link: CommandLink,
    clock: Clock,
    timeoutMs: number,
    address: { commonAddress: number; originator: number },
  ) {
    this.#link = link;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    this.#address = address;
  }

  /** Sends one activation and resolves when it reached `until`, or rejects with a catalog error. */
  async run(activation: Activation, signal?: AbortSignal): Promise<void> {
    const key = `${activation.typeId}:${activation.object.ioa}`;
    const before = this.#queues.get(key) ?? Promise.resolve();
    const mine = before.then(() => this.#runNow(key, activation, signal));
    const tail = mine.catch(() => undefined);
    this.#queues.set(key, tail);
    try {
      await mine;
    } finally {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    }
  }

  /** Handles confirmations and terminations; false when the ASDU is not an answer to us. */
  onAsdu(asdu: DecodedAsdu): boolean {
    const cot = asdu.cot;
    if (cot !== Cot.ACTIVATION_CON && cot !== Cot.ACTIVATION_TERM && !NEGATIVE_CAUSES.has(cot)) return false;
    const ioa = asdu.objects[0]?.ioa ?? 0;
    const p = this.#pending.get(`${asdu.typeId}:${ioa}`);
    // A late answer to an earlier select must not pass for the execute that followed it.
    if (!p || (p.activation.object.select ?? false) !== (asdu.objects[0]?.select ?? false)) return true;
    if (asdu.negative || NEGATIVE_CAUSES.has(cot)) {
      this.#settle(p, Iec104Errors.COMMAND_REJECTED.create([typeName(asdu.typeId), ioa, cot]));
    } else if (cot === Cot.ACTIVATION_CON) {
      this.#link.countOutcome({ rttMs: this.#clock.now() - p.sentAt });
      if (p.activation.until === 'con') this.#settle(p);
      else {
        p.phase = 'term';
        this.#arm(p);
      }
    } else if (p.activation.until === 'term') {
      // A termination implies the confirmation, even if that was lost.
      this.#settle(p);
    }
    return true;
  }

  /** Fails every outstanding activation (link lost or closed). */
  failAll(err: Error): void {
    for (const p of [...this.#pending.values()]) this.#settle(p, err);
  }

  #runNow(key: string, activation: Activation, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.#link.countRequest();
    try {
      this.#link.send({
        typeId: activation.typeId,
        cot: Cot.ACTIVATION,
        originator: this.#address.originator,
        commonAddress: this.#address.commonAddress,
        objects: [activation.object],
      });
    } catch (err) {
      this.#link.countOutcome({ error: err });
      throw err;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#pending.delete(key);
        if (p.timer) this.#clock.clearTimeout(p.timer);
        reject(signal?.reason as Error);
      };
      const p: Pending = {
        activation,
        phase: 'con',
        timer: undefined,
        sentAt: this.#clock.now(),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(key, p);
      this.#arm(p);
    });
  }

  #arm(p: Pending): void {
    if (p.timer) this.#clock.clearTimeout(p.timer);
    p.timer = this.#clock.setTimeout(() => {
      p.timer = undefined;
      const what = p.phase === 'con' ? 'activation confirmation' : 'activation termination';
      const { typeId, object } = p.activation;
      this.#settle(
        p,
        Iec104Errors.COMMAND_TIMEOUT.create([what, typeName(typeId), object.ioa, this.#timeoutMs]),
      );
    }, this.#timeoutMs);
  }

  #settle(p: Pending, err?: Error): void {
    const key = `${p.activation.typeId}:${p.activation.object.ioa}`;
    if (this.#pending.get(key) !== p) return;
    this.#pending.delete(key);
    if (p.timer) this.#clock.clearTimeout(p.timer);
    p.timer = undefined;
    if (err) {
      this.#link.countOutcome({ error: err });
      p.reject(err);
    } else p.resolve();
  }
}
