/**
 * The IEC 104 master driver: one link to an outstation, a point image kept current by general
 * interrogation and spontaneous data, reads from that image, subscriptions to its updates, and
 * commands with confirmation (IEC 60870-5-104 §5–§7 via the codec, link and client layers).
 */
import type { Logger, TimerHandle } from '@watershed/common';
import type {
  Driver,
  DriverContext,
  DriverHealth,
  Readable,
  Subscribable,
  Subscription,
  TagRef,
  Writable,
} from '@watershed/driver-sdk';
import { badSample, type Sample, type SampleValue } from '@watershed/model';
import { parseAddress, type Iec104Address } from './address.js';
import type { DecodedAsdu } from './codec/asdu.js';
import { Cot, QCC_GENERAL_READ, QOI_STATION, TypeId, baseType } from './codec/types.js';
import { CommandTracker } from './client/commands.js';
import { MasterLink } from './client/master-link.js';
import { PointImage, toSample } from './client/point-image.js';
import type { Transport } from './client/transport.js';
import { commandObject } from './client/write.js';
import type { Iec104Config } from './config.js';
import { Iec104Errors } from './errors.js';

const MONITOR_COTS = new Set<number>([
  Cot.PERIODIC,
  Cot.BACKGROUND,
  Cot.SPONTANEOUS,
  Cot.REQUEST,
  Cot.RETURN_REMOTE,
  Cot.RETURN_LOCAL,
  Cot.INTERROGATED_STATION,
  Cot.COUNTER_GENERAL,
]);
const MONITOR_TYPES = new Set<number>([
  TypeId.M_SP_NA_1,
  TypeId.M_DP_NA_1,
  TypeId.M_ME_NA_1,
  TypeId.M_ME_NB_1,
  TypeId.M_ME_NC_1,
  TypeId.M_IT_NA_1,
]);

export class Iec104Driver implements Driver, Readable, Writable, Subscribable {
  readonly #ctx: DriverContext;
  readonly #config: Iec104Config;
  readonly #logger: Logger;
  readonly #link: MasterLink;
  readonly #commands: CommandTracker;
  readonly #image = new PointImage();
  readonly #commonAddress: number;
  readonly #addresses = new Map<string, Iec104Address | string>();
  readonly #lossListeners = new Set<(reason: string) => void>();
  #giTimer: TimerHandle | undefined;
  #giRunning = false;

  constructor(transport: Transport, config: Iec104Config, ctx: DriverContext) {
    this.#ctx = ctx;
    this.#config = config;
    this.#commonAddress = config.commonAddress ?? 1;
    this.#logger = ctx.logger.child({ driver: 'iec104', device: transport.description });
    const backoffMinMs = config.backoffMinMs ?? 1000;
    this.#link = new MasterLink({
      transport,
      clock: ctx.clock,
      logger: this.#logger,
      t1Ms: config.t1Ms ?? 15_000,
      t2Ms: config.t2Ms ?? 10_000,
      t3Ms: config.t3Ms ?? 20_000,
      k: config.k ?? 12,
      w: config.w ?? 8,
      backoffMinMs,
      backoffMaxMs: Math.max(config.backoffMaxMs ?? 30_000, backoffMinMs),
      onAsdu: (asdu) => this.#onAsdu(asdu),
      onStarted: () => this.#onStarted(),
      onLost: (err) => this.#onLost(err),
    });
    this.#commands = new CommandTracker(this.#link, ctx.clock, config.commandTimeoutMs ?? 10_000, {
      commonAddress: this.#commonAddress,
      originator: config.originatorAddress ?? 0,
    });
  }

  connect(): Promise<void> {
    return this.#link.start();
  }

  async close(): Promise<void> {
    this.#stopGiTimer();
    await this.#link.close();
  }

  health(): DriverHealth {
    return this.#link.health();
  }

  /** Resolves once data transfer is started (or the driver closed); for tests and start-up. */
  async connected(): Promise<void> {
    await this.#link.until((s) => s === 'connected' || s === 'closed');
  }

  /** Station interrogation (C_IC_NA_1, QOI 20); resolves on its activation termination. */
  interrogate(signal?: AbortSignal): Promise<void> {
    return this.#commands.run(
      { typeId: TypeId.C_IC_NA_1, object: { ioa: 0, value: QOI_STATION }, until: 'term' },
      signal,
    );
  }

  /** General counter interrogation (C_CI_NA_1, QCC 5); resolves on its activation termination. */
  interrogateCounters(signal?: AbortSignal): Promise<void> {
    return this.#commands.run(
      { typeId: TypeId.C_CI_NA_1, object: { ioa: 0, value: QCC_GENERAL_READ }, until: 'term' },
      signal,
    );
  }

  /** Clock synchronisation (C_CS_NA_1) with our time as UTC; resolves on confirmation. */
  synchronizeClock(signal?: AbortSignal): Promise<void> {
    return this.#commands.run(
      { typeId: TypeId.C_CS_NA_1, object: { ioa: 0, value: 0, time: this.#ctx.clock.now() }, until: 'con' },
      signal,
    );
  }

  read(tags: readonly TagRef[]): Promise<Sample[]> {
    const now = this.#ctx.clock.now();
    const down =
      this.#link.state === 'connected' ? undefined : (this.#link.notConnected() as { code?: string });
    return Promise.resolve(
      tags.map((tag) => {
        const a = this.#resolve(tag);
        if (typeof a === 'string') return badSample(now, Iec104Errors.ADDRESS.code);
        if (down) return badSample(now, down.code ?? Iec104Errors.DISCONNECTED.code);
        const entry = this.#image.get(a.ioa);
        if (!entry) return badSample(now, Iec104Errors.NO_DATA.code);
        return toSample(entry, a, tag.dataType === 'bool');
      }),
    );
  }

  /**
   * Sends a command and resolves once the outstation terminated it (or confirmed it, with
   * `awaitTermination: false`). With `:sbo` the command is selected first (S/E = 1) and executed
   * only after a positive select confirmation (IEC 60870-5-101 §7.2.6.15/.16/.39). Not retried:
   * whether to resend a command whose fate is unknown is the caller's decision.
   */
  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    const a = this.#resolve(tag);
    if (typeof a === 'string') throw Iec104Errors.ADDRESS.create([tag.address, a]);
    if (a.kind !== 'command')
      throw Iec104Errors.ADDRESS.create([tag.address, 'monitor types cannot be written']);
    if (a.sbo) {
      const select = commandObject(tag.address, a, value, true);
      await this.#commands.run({ typeId: a.typeId, object: select, until: 'con' }, signal);
    }
    const execute = commandObject(tag.address, a, value, false);
    const until = (this.#config.awaitTermination ?? true) ? 'term' : 'con';
    await this.#commands.run({ typeId: a.typeId, object: execute, until }, signal);
  }

  subscribe(tags: readonly TagRef[], onSample: (tag: string, sample: Sample) => void): Promise<Subscription> {
    // A throwing callback is the subscriber's bug; it must not reach the link and drop it.
    const deliver = (name: string, sample: Sample): void => {
      try {
        onSample(name, sample);
      } catch (err) {
        this.#logger.error({ err, tag: name }, 'IEC 104 subscriber callback threw');
      }
    };
    const byIoa = new Map<number, { tag: TagRef; address: Iec104Address }[]>();
    for (const tag of tags) {
      const a = this.#resolve(tag);
      if (typeof a === 'string') {
        deliver(tag.name, badSample(this.#ctx.clock.now(), Iec104Errors.ADDRESS.code));
        continue;
      }
      const list = byIoa.get(a.ioa) ?? [];
      list.push({ tag, address: a });
      byIoa.set(a.ioa, list);
    }
    const emit = (ioa: number): void => {
      const entry = this.#image.get(ioa);
      if (!entry) return;
      for (const { tag, address } of byIoa.get(ioa) ?? [])
        deliver(tag.name, toSample(entry, address, tag.dataType === 'bool'));
    };
    // Current values first, as OPC UA monitored items do, then every update.
    for (const ioa of byIoa.keys()) emit(ioa);
    const unlisten = this.#image.listen((ioa) => {
      if (byIoa.has(ioa)) emit(ioa);
    });
    const onLoss = (reason: string): void => {
      const now = this.#ctx.clock.now();
      for (const list of byIoa.values())
        for (const { tag } of list) deliver(tag.name, badSample(now, reason));
    };
    this.#lossListeners.add(onLoss);
    return Promise.resolve({
      close: () => {
        unlisten();
        this.#lossListeners.delete(onLoss);
        return Promise.resolve();
      },
    });
  }

  #onAsdu(asdu: DecodedAsdu): void {
    if (asdu.commonAddress !== this.#commonAddress) {
      this.#logger.debug({ ca: asdu.commonAddress }, 'ASDU for another common address ignored');
      return;
    }
    if (this.#commands.onAsdu(asdu)) return;
    if (asdu.test || !MONITOR_TYPES.has(baseType(asdu.typeId)) || !MONITOR_COTS.has(asdu.cot)) {
      if (!asdu.supported) this.#logger.debug({ typeId: asdu.typeId }, 'unsupported ASDU type ignored');
      return;
    }
    const now = this.#ctx.clock.now();
    for (const o of asdu.objects) this.#image.update(asdu.typeId, o, now);
  }

  #onStarted(): void {
    // After a (re)connect the image is empty: interrogate at once (104 §7.2.2 station
    // initialisation), optionally set the outstation's clock first so its time tags are ours.
    void this.#startup();
    const every = this.#config.interrogationIntervalMs ?? 0;
    if (every > 0 && !this.#giTimer) {
      this.#giTimer = this.#ctx.clock.setInterval(() => void this.#interrogateLogged('periodic'), every);
      this.#giTimer.unref?.();
    }
  }

  async #startup(): Promise<void> {
    if (this.#config.clockSyncOnConnect) {
      try {
        await this.synchronizeClock();
      } catch (err) {
        this.#logger.warn({ err: (err as Error).message }, 'IEC 104 clock synchronisation failed');
      }
    }
    await this.#interrogateLogged('on connect');
  }

  async #interrogateLogged(why: string): Promise<void> {
    // A periodic tick while the previous interrogation still runs would only queue behind it.
    if (this.#link.state !== 'connected' || this.#giRunning) return;
    this.#giRunning = true;
    try {
      await this.interrogate();
      // Counters are not part of a station interrogation (101 §7.4.5); they have their own.
      if (this.#config.counterInterrogation) await this.interrogateCounters();
    } catch (err) {
      this.#logger.warn({ err: (err as Error).message, why }, 'IEC 104 interrogation failed');
    } finally {
      this.#giRunning = false;
    }
  }

  #onLost(err: Error): void {
    this.#stopGiTimer();
    this.#commands.failAll(err);
    this.#image.clear();
    const reason = (err as { code?: string }).code ?? Iec104Errors.DISCONNECTED.code;
    for (const l of this.#lossListeners) l(reason);
  }

  #stopGiTimer(): void {
    if (this.#giTimer) this.#ctx.clock.clearInterval(this.#giTimer);
    this.#giTimer = undefined;
  }

  #resolve(tag: TagRef): Iec104Address | string {
    const key = `${tag.address}|${tag.dataType}`;
    let a = this.#addresses.get(key);
    if (a === undefined) {
      const r = parseAddress(tag.address, tag.dataType);
      a = r.ok ? r.address : r.message;
      if (!r.ok) this.#logger.warn({ tag: tag.name, address: tag.address }, r.message);
      this.#addresses.set(key, a);
    }
    return a;
  }
}
