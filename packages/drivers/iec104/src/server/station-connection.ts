/**
 * One master connected to the outstation: the controlled-station end of the APCI link
 * (IEC 60870-5-104 §5) and the application functions of 104 §7.2 the simulator needs —
 * station and counter interrogation, clock synchronisation and commands (direct or select
 * before operate) with activation confirmation and termination.
 */
import type { Clock, Logger } from '@watershed/common';
import { decodeAsdu, encodeAsdu, maxObjects, type Asdu, type DecodedAsdu } from '../codec/asdu.js';
import type { InfoObject } from '../codec/elements.js';
import { Cot, QOI_STATION, TypeId, typeName } from '../codec/types.js';
import { ApciSession, type ApciTimers } from '../link/apci-session.js';
import type { CommandTypeName, OutstationCommand, OutstationCommandDef, PointState } from './points.js';

export interface StationContext {
  readonly commonAddress: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly selectTimeoutMs: number;
  points(): Iterable<PointState>;
  command(ioa: number, typeId: number): OutstationCommandDef | undefined | 'any';
  onCommand(cmd: OutstationCommand): Promise<boolean>;
  onClockSync(ms: number): void;
}

const COMMAND_TYPES = new Set<number>([
  TypeId.C_SC_NA_1,
  TypeId.C_DC_NA_1,
  TypeId.C_SE_NA_1,
  TypeId.C_SE_NB_1,
  TypeId.C_SE_NC_1,
]);
const BROADCAST_CA = 0xffff;

export class StationConnection {
  readonly session: ApciSession;
  readonly #ctx: StationContext;
  /** Selected commands by "type:ioa" and when the selection lapses. */
  readonly #selected = new Map<string, number>();

  constructor(
    ctx: StationContext,
    timers: ApciTimers,
    write: (b: Uint8Array) => void,
    onFail: (err: Error) => void,
  ) {
    this.#ctx = ctx;
    this.session = new ApciSession({
      ...timers,
      role: 'controlled',
      clock: ctx.clock,
      send: write,
      onAsdu: (bytes) => this.#onAsdu(bytes),
      onFail,
    });
  }

  send(asdu: Asdu): void {
    this.session.sendAsdu(encodeAsdu(asdu));
  }

  #onAsdu(bytes: Uint8Array): void {
    let asdu: DecodedAsdu;
    try {
      asdu = decodeAsdu(bytes);
    } catch (err) {
      this.#ctx.logger.warn({ err: (err as Error).message }, 'malformed ASDU from master ignored');
      return;
    }
    if (!asdu.supported || asdu.objects.length === 0) {
      // 101 §7.2.3: mirror an unknown type with COT 44 and P/N = 1.
      const copy = bytes.slice();
      copy[2] = Cot.UNKNOWN_TYPE | 0x40;
      this.session.sendAsdu(copy);
      return;
    }
    const global = asdu.typeId === TypeId.C_IC_NA_1 || asdu.typeId === TypeId.C_CS_NA_1;
    if (asdu.commonAddress !== this.#ctx.commonAddress && !(global && asdu.commonAddress === BROADCAST_CA)) {
      this.#mirror(asdu, Cot.UNKNOWN_CA, true);
      return;
    }
    if (asdu.cot === Cot.DEACTIVATION && COMMAND_TYPES.has(asdu.typeId)) {
      // Deactivation withdraws a select (101 §7.2.6.15, COT 8 → COT 9).
      this.#selected.delete(`${asdu.typeId}:${asdu.objects[0]?.ioa ?? 0}`);
      this.#mirror(asdu, Cot.DEACTIVATION_CON, false);
      return;
    }
    if (asdu.cot !== Cot.ACTIVATION) {
      this.#mirror(asdu, Cot.UNKNOWN_COT, true);
      return;
    }
    switch (asdu.typeId) {
      case TypeId.C_IC_NA_1:
        this.#interrogate(asdu, (asdu.objects[0]?.value as number) === QOI_STATION, Cot.INTERROGATED_STATION);
        return;
      case TypeId.C_CI_NA_1:
        this.#interrogate(asdu, true, Cot.COUNTER_GENERAL);
        return;
      case TypeId.C_CS_NA_1: {
        const t = asdu.objects[0]?.time;
        if (t !== undefined) this.#ctx.onClockSync(t);
        this.#mirror(asdu, Cot.ACTIVATION_CON, t === undefined);
        return;
      }
    }
    if (COMMAND_TYPES.has(asdu.typeId)) {
      void this.#command(asdu);
      return;
    }
    this.#mirror(asdu, Cot.UNKNOWN_TYPE, true);
  }

  /** ActCon, the image in as few ASDUs as fit (COT 20 or 37), ActTerm (101 §7.4.5, 104 §7.2.4). */
  #interrogate(asdu: DecodedAsdu, ok: boolean, cot: number): void {
    this.#mirror(asdu, Cot.ACTIVATION_CON, !ok);
    if (!ok) return;
    const counters = cot === Cot.COUNTER_GENERAL;
    const byType = new Map<number, InfoObject[]>();
    for (const p of this.#ctx.points()) {
      if ((p.typeId === TypeId.M_IT_NA_1) !== counters) continue;
      const list = byType.get(p.typeId) ?? [];
      list.push(p.object);
      byType.set(p.typeId, list);
    }
    for (const [typeId, objects] of byType) {
      const per = maxObjects(typeId);
      for (let i = 0; i < objects.length; i += per) {
        this.send({
          typeId,
          cot,
          commonAddress: this.#ctx.commonAddress,
          objects: objects.slice(i, i + per),
        });
      }
    }
    this.#mirror(asdu, Cot.ACTIVATION_TERM, false);
  }

  async #command(asdu: DecodedAsdu): Promise<void> {
    const o = asdu.objects[0] as InfoObject;
    const def = this.#ctx.command(o.ioa, asdu.typeId);
    if (!def) {
      this.#mirror(asdu, Cot.UNKNOWN_IOA, true);
      return;
    }
    const key = `${asdu.typeId}:${o.ioa}`;
    const select = o.select ?? false;
    if (!select && def !== 'any' && def.sbo) {
      const until = this.#selected.get(key);
      this.#selected.delete(key);
      if (until === undefined || until < this.#ctx.clock.now()) {
        this.#ctx.logger.info({ ioa: o.ioa }, 'execute without a valid select refused');
        this.#mirror(asdu, Cot.ACTIVATION_CON, true);
        return;
      }
    }
    let accepted = false;
    try {
      accepted = await this.#ctx.onCommand({
        type: typeName(asdu.typeId) as CommandTypeName,
        ioa: o.ioa,
        value: o.value,
        select,
        qualifier: o.qualifier ?? 0,
      });
    } catch (err) {
      this.#ctx.logger.warn({ err: (err as Error).message, ioa: o.ioa }, 'command handler failed');
    }
    if (select && accepted) this.#selected.set(key, this.#ctx.clock.now() + this.#ctx.selectTimeoutMs);
    this.#mirror(asdu, Cot.ACTIVATION_CON, !accepted);
    if (accepted && !select) this.#mirror(asdu, Cot.ACTIVATION_TERM, false);
  }

  /** Sends the request back with another cause: confirmations and negative answers mirror it. */
  #mirror(asdu: DecodedAsdu, cot: number, negative: boolean): void {
    this.send({
      typeId: asdu.typeId,
      cot,
      negative,
      originator: asdu.originator,
      // Answers to a broadcast (0xFFFF) carry the station's own address (101 §7.2.4).
      commonAddress: cot === Cot.UNKNOWN_CA ? asdu.commonAddress : this.#ctx.commonAddress,
      objects: asdu.objects,
    });
  }
}
