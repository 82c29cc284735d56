/**
 * A unit's data model (Application Protocol V1.1b3 §4.3): four separate tables, addressed from 0.
 * Bits are one byte each (0/1) so a simulator can set them with plain indexing.
 */
export interface RegisterBank {
  coils: Uint8Array;
  discreteInputs: Uint8Array;
  inputRegisters: Uint16Array;
  holdingRegisters: Uint16Array;
}

export interface BankSize {
  coils?: number;
  discreteInputs?: number;
  inputRegisters?: number;
  holdingRegisters?: number;
}

/** 10,000 entries per table unless told otherwise: the range most PLCs expose. Max 65,536. */
export const DEFAULT_BANK_SIZE = 10_000;

export function createRegisterBank(size: BankSize = {}): RegisterBank {
  const n = (v: number | undefined): number => {
    const k = v ?? DEFAULT_BANK_SIZE;
    if (!Number.isInteger(k) || k < 0 || k > 65536)
      throw new RangeError(`table size ${k} is outside 0..65536`);
    return k;
  };
  return {
    coils: new Uint8Array(n(size.coils)),
    discreteInputs: new Uint8Array(n(size.discreteInputs)),
    inputRegisters: new Uint16Array(n(size.inputRegisters)),
    holdingRegisters: new Uint16Array(n(size.holdingRegisters)),
  };
}

/** Copies `words` into a register table from 0-based `address0`; throws a RangeError past the end. */
export function writeRegisters(
  bank: RegisterBank,
  area: 'input' | 'holding',
  address0: number,
  words: Uint16Array,
): void {
  const table = area === 'input' ? bank.inputRegisters : bank.holdingRegisters;
  if (!Number.isInteger(address0) || address0 < 0 || address0 + words.length > table.length)
    throw new RangeError(
      `${area} registers ${address0}..${address0 + words.length - 1} are outside 0..${table.length - 1}`,
    );
  table.set(words, address0);
}
