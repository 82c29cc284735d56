/**
 * The outstation's process image: monitored points by IOA and the commands it accepts.
 */
import type { InfoObject } from '../codec/elements.js';
import { TypeId, type TypeName } from '../codec/types.js';

export type MonitorTypeName =
  'M_SP_NA_1' | 'M_DP_NA_1' | 'M_ME_NA_1' | 'M_ME_NB_1' | 'M_ME_NC_1' | 'M_IT_NA_1';
export type CommandTypeName = 'C_SC_NA_1' | 'C_DC_NA_1' | 'C_SE_NA_1' | 'C_SE_NB_1' | 'C_SE_NC_1';

export interface OutstationPoint {
  ioa: number;
  type: MonitorTypeName;
  /** SP: bool; DP: DPI 0…3 (or bool: ON/OFF); measured values: number; integrated totals: int32 counter. */
  value: number | boolean;
  /** Quality bits as on the wire (QDS, or IV/CA/CY for totals); 0 = good. */
  quality?: number;
}

export interface OutstationCommandDef {
  ioa: number;
  type: CommandTypeName;
  /** Execute only after a select (S/E = 1) within the selection time. */
  sbo?: boolean;
}

/** A command as the outstation hands it to `onCommand`. */
export interface OutstationCommand {
  type: CommandTypeName;
  ioa: number;
  /** SC: bool; DC: DCS 0…3; set-points: number. */
  value: number | boolean;
  /** True for the select step of select-before-operate; nothing should move yet. */
  select: boolean;
  /** QU of SCO/DCO or QL of QOS. */
  qualifier: number;
}

export interface PointState {
  readonly typeId: number;
  object: InfoObject;
}

export function typeIdOfName(name: TypeName): number {
  return TypeId[name];
}

export function pointState(p: OutstationPoint): PointState {
  const typeId = typeIdOfName(p.type);
  return { typeId, object: { ioa: p.ioa, value: pointValue(typeId, p.value), quality: p.quality ?? 0 } };
}

/** A bool given for a double point means ON (DPI 2) or OFF (1), as the master reads it. */
export function pointValue(typeId: number, value: number | boolean): number | boolean {
  return typeId === TypeId.M_DP_NA_1 && typeof value === 'boolean' ? (value ? 2 : 1) : value;
}
