/**
 * Type identifications (IEC 60870-5-101 §7.2.1.1, with the 104 set of IEC 60870-5-104 §8) and
 * causes of transmission (IEC 60870-5-101 §7.2.3) that this package speaks.
 */
export const TypeId = {
  M_SP_NA_1: 1,
  M_DP_NA_1: 3,
  M_ME_NA_1: 9,
  M_ME_NB_1: 11,
  M_ME_NC_1: 13,
  M_IT_NA_1: 15,
  M_SP_TB_1: 30,
  M_DP_TB_1: 31,
  M_ME_TD_1: 34,
  M_ME_TE_1: 35,
  M_ME_TF_1: 36,
  M_IT_TB_1: 37,
  C_SC_NA_1: 45,
  C_DC_NA_1: 46,
  C_SE_NA_1: 48,
  C_SE_NB_1: 49,
  C_SE_NC_1: 50,
  M_EI_NA_1: 70,
  C_IC_NA_1: 100,
  C_CI_NA_1: 101,
  C_CS_NA_1: 103,
} as const;
export type TypeName = keyof typeof TypeId;
export type TypeIdValue = (typeof TypeId)[TypeName];

const NAMES = new Map<number, TypeName>(Object.entries(TypeId).map(([k, v]) => [v, k as TypeName] as const));

export function typeName(typeId: number): string {
  return NAMES.get(typeId) ?? `type ${typeId}`;
}

export function typeIdOf(name: string): TypeIdValue | undefined {
  return Object.hasOwn(TypeId, name) ? TypeId[name as TypeName] : undefined;
}

/** Monitor types with a CP56Time2a time tag, and their untagged counterparts (101 §7.3.1, 104 §8). */
export const TIME_TAGGED: ReadonlyMap<number, number> = new Map([
  [TypeId.M_SP_NA_1, TypeId.M_SP_TB_1],
  [TypeId.M_DP_NA_1, TypeId.M_DP_TB_1],
  [TypeId.M_ME_NA_1, TypeId.M_ME_TD_1],
  [TypeId.M_ME_NB_1, TypeId.M_ME_TE_1],
  [TypeId.M_ME_NC_1, TypeId.M_ME_TF_1],
  [TypeId.M_IT_NA_1, TypeId.M_IT_TB_1],
]);

/** The untagged type of a monitor type (itself when it has no tag). */
export function baseType(typeId: number): number {
  for (const [base, tagged] of TIME_TAGGED) if (tagged === typeId) return base;
  return typeId;
}

/** Causes of transmission, IEC 60870-5-101 §7.2.3 (six bits). */
export const Cot = {
  PERIODIC: 1,
  BACKGROUND: 2,
  SPONTANEOUS: 3,
  INITIALIZED: 4,
  REQUEST: 5,
  ACTIVATION: 6,
  ACTIVATION_CON: 7,
  DEACTIVATION: 8,
  DEACTIVATION_CON: 9,
  ACTIVATION_TERM: 10,
  RETURN_REMOTE: 11,
  RETURN_LOCAL: 12,
  INTERROGATED_STATION: 20,
  COUNTER_GENERAL: 37,
  UNKNOWN_TYPE: 44,
  UNKNOWN_COT: 45,
  UNKNOWN_CA: 46,
  UNKNOWN_IOA: 47,
} as const;

/** Qualifier of interrogation 20 = station interrogation (global), 101 §7.2.6.22. */
export const QOI_STATION = 20;
/** Qualifier of counter interrogation: RQT 5 = general counter request, FRZ 0 = read (101 §7.2.6.23). */
export const QCC_GENERAL_READ = 5;
