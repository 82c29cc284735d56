/**
 * Information elements (IEC 60870-5-101 §7.2.6) of the types in types.ts, one codec per type id.
 * An information object is its IOA plus the elements below, in this order (§7.3):
 *
 *   SIQ / DIQ                    §7.2.6.1 / §7.2.6.2: SPI bit 1 or DPI bits 1–2, BL SB NT IV bits 5–8
 *   NVA, SVA, IEEE STD 754 + QDS §7.2.6.6 / .7 / .8 and QDS §7.2.6.3: OV bit 1, BL SB NT IV bits 5–8
 *   BCR                          §7.2.6.9: int32 counter, then SQ bits 1–5, CY bit 6, CA bit 7, IV bit 8
 *   SCO / DCO                    §7.2.6.15 / .16: SCS bit 1 or DCS bits 1–2, QU bits 3–7, S/E bit 8
 *   set-point + QOS              §7.2.6.39: QL bits 1–7, S/E bit 8
 *   QOI / QCC                    §7.2.6.22 / .23
 *   CP56Time2a                   §7.2.6.18, after the elements of time-tagged types
 */
import { CP56_LENGTH, readCp56, writeCp56 } from './cp56.js';
import { TypeId } from './types.js';

/** One information object, flat: which fields mean something depends on the type id. */
export interface InfoObject {
  /** Information object address, 3 octets in 104 (§7.2.5 with the 104 profile). */
  ioa: number;
  /**
   * SP and SC: boolean; DP and DC: DPI/DCS 0…3; measured values and set-points: number
   * (normalised as −1 … +1−2⁻¹⁵); integrated totals: the int32 counter; C_IC/C_CI: QOI/QCC.
   */
  value: number | boolean;
  /** Quality bits as on the wire (QDS layout; for integrated totals IV/CA/CY of the BCR). */
  quality?: number;
  /** ms epoch from the CP56Time2a tag, for time-tagged types and C_CS_NA_1. */
  time?: number;
  /** IV bit of the time tag. */
  timeInvalid?: boolean;
  /** S/E of SCO, DCO and QOS: true = select, false = execute. */
  select?: boolean;
  /** QU of SCO/DCO or QL of QOS. */
  qualifier?: number;
  /** Sequence number of a BCR. */
  sequence?: number;
}

interface ElementCodec {
  readonly size: number;
  read(b: Uint8Array, at: number, o: InfoObject): void;
  write(out: Uint8Array, at: number, o: InfoObject): void;
}

/** The QDS bits: IV, NT, SB, BL (bits 8…5) and OV (bit 1), 101 §7.2.6.3. */
export const QDS = { IV: 0x80, NT: 0x40, SB: 0x20, BL: 0x10, OV: 0x01 } as const;
/** The status bits of a BCR octet 5, 101 §7.2.6.9. */
export const BCR = { IV: 0x80, CA: 0x40, CY: 0x20 } as const;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const num = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** Normalised value: int16 / 2¹⁵, clamped to the representable range. */
function toNva(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
}

const siq: ElementCodec = {
  size: 1,
  read: (b, at, o) => {
    const x = b[at] ?? 0;
    o.value = (x & 0x01) !== 0;
    o.quality = x & 0xf0;
  },
  write: (out, at, o) => {
    out[at] = (num(o.value) ? 1 : 0) | ((o.quality ?? 0) & 0xf0);
  },
};

const diq: ElementCodec = {
  size: 1,
  read: (b, at, o) => {
    const x = b[at] ?? 0;
    o.value = x & 0x03;
    o.quality = x & 0xf0;
  },
  write: (out, at, o) => {
    out[at] = (num(o.value) & 0x03) | ((o.quality ?? 0) & 0xf0);
  },
};

const nva = (withQds: boolean): ElementCodec => ({
  size: 3,
  read: (b, at, o) => {
    o.value = view(b).getInt16(at, true) / 32768;
    if (withQds) o.quality = (b[at + 2] ?? 0) & 0xf1;
    else qos.read(b, at + 2, o);
  },
  write: (out, at, o) => {
    view(out).setInt16(at, toNva(num(o.value)), true);
    if (withQds) out[at + 2] = (o.quality ?? 0) & 0xf1;
    else qos.write(out, at + 2, o);
  },
});

const sva = (withQds: boolean): ElementCodec => ({
  size: 3,
  read: (b, at, o) => {
    o.value = view(b).getInt16(at, true);
    if (withQds) o.quality = (b[at + 2] ?? 0) & 0xf1;
    else qos.read(b, at + 2, o);
  },
  write: (out, at, o) => {
    view(out).setInt16(at, Math.max(-32768, Math.min(32767, Math.round(num(o.value)))), true);
    if (withQds) out[at + 2] = (o.quality ?? 0) & 0xf1;
    else qos.write(out, at + 2, o);
  },
});

const float = (withQds: boolean): ElementCodec => ({
  size: 5,
  read: (b, at, o) => {
    o.value = view(b).getFloat32(at, true);
    if (withQds) o.quality = (b[at + 4] ?? 0) & 0xf1;
    else qos.read(b, at + 4, o);
  },
  write: (out, at, o) => {
    view(out).setFloat32(at, num(o.value), true);
    if (withQds) out[at + 4] = (o.quality ?? 0) & 0xf1;
    else qos.write(out, at + 4, o);
  },
});

const bcr: ElementCodec = {
  size: 5,
  read: (b, at, o) => {
    o.value = view(b).getInt32(at, true);
    const x = b[at + 4] ?? 0;
    o.sequence = x & 0x1f;
    o.quality = x & 0xe0;
  },
  write: (out, at, o) => {
    view(out).setInt32(at, num(o.value) | 0, true);
    out[at + 4] = ((o.sequence ?? 0) & 0x1f) | ((o.quality ?? 0) & 0xe0);
  },
};

/** SCO and DCO share a layout; `mask` picks SCS (1 bit) or DCS (2 bits). */
const commandObject = (mask: number, bool: boolean): ElementCodec => ({
  size: 1,
  read: (b, at, o) => {
    const x = b[at] ?? 0;
    o.value = bool ? (x & mask) !== 0 : x & mask;
    o.qualifier = (x >> 2) & 0x1f;
    o.select = (x & 0x80) !== 0;
  },
  write: (out, at, o) => {
    out[at] = (num(o.value) & mask) | (((o.qualifier ?? 0) & 0x1f) << 2) | (o.select ? 0x80 : 0);
  },
});

const qos: ElementCodec = {
  size: 1,
  read: (b, at, o) => {
    const x = b[at] ?? 0;
    o.qualifier = x & 0x7f;
    o.select = (x & 0x80) !== 0;
  },
  write: (out, at, o) => {
    out[at] = ((o.qualifier ?? 0) & 0x7f) | (o.select ? 0x80 : 0);
  },
};

const octet: ElementCodec = {
  size: 1,
  read: (b, at, o) => {
    o.value = b[at] ?? 0;
  },
  write: (out, at, o) => {
    out[at] = num(o.value) & 0xff;
  },
};

const time: ElementCodec = {
  size: CP56_LENGTH,
  read: (b, at, o) => {
    const t = readCp56(b, at);
    if (t) {
      o.time = t.ms;
      o.timeInvalid = t.invalid;
    } else o.timeInvalid = true;
  },
  write: (out, at, o) => writeCp56(out, at, o.time ?? 0, o.timeInvalid ?? false),
};

/** Elements followed by a CP56Time2a tag. */
function tagged(e: ElementCodec): ElementCodec {
  return {
    size: e.size + CP56_LENGTH,
    read: (b, at, o) => {
      e.read(b, at, o);
      time.read(b, at + e.size, o);
    },
    write: (out, at, o) => {
      e.write(out, at, o);
      time.write(out, at + e.size, o);
    },
  };
}

const noTimeValue: ElementCodec = {
  size: CP56_LENGTH,
  read: (b, at, o) => {
    o.value = 0;
    time.read(b, at, o);
  },
  write: (out, at, o) => time.write(out, at, o),
};

export const ELEMENTS: ReadonlyMap<number, ElementCodec> = new Map<number, ElementCodec>([
  [TypeId.M_SP_NA_1, siq],
  [TypeId.M_DP_NA_1, diq],
  [TypeId.M_ME_NA_1, nva(true)],
  [TypeId.M_ME_NB_1, sva(true)],
  [TypeId.M_ME_NC_1, float(true)],
  [TypeId.M_IT_NA_1, bcr],
  [TypeId.M_SP_TB_1, tagged(siq)],
  [TypeId.M_DP_TB_1, tagged(diq)],
  [TypeId.M_ME_TD_1, tagged(nva(true))],
  [TypeId.M_ME_TE_1, tagged(sva(true))],
  [TypeId.M_ME_TF_1, tagged(float(true))],
  [TypeId.M_IT_TB_1, tagged(bcr)],
  [TypeId.C_SC_NA_1, commandObject(0x01, true)],
  [TypeId.C_DC_NA_1, commandObject(0x03, false)],
  [TypeId.C_SE_NA_1, nva(false)],
  [TypeId.C_SE_NB_1, sva(false)],
  [TypeId.C_SE_NC_1, float(false)],
  // M_EI_NA_1: COI, cause of initialisation (101 §7.2.6.21).
  [TypeId.M_EI_NA_1, octet],
  [TypeId.C_IC_NA_1, octet],
  [TypeId.C_CI_NA_1, octet],
  [TypeId.C_CS_NA_1, noTimeValue],
]);
