/**
 * Meter addresses. The address field A0..A6 is 7 bytes of BCD sent low byte first (CJ/T 188-2004
 * frame format); people and meter labels write it high byte first, A6..A0, as 14 digits — the
 * same convention ng-gateway's CJ/T 188 driver documents
 * (https://ng-gateway.com/southward/cjt188/address-di.html). We keep the printed form as the
 * address string and convert at the codec boundary. AAH in every byte is the broadcast address.
 */

export const ADDRESS_BYTES = 7;
export const BROADCAST_ADDRESS = 'AAAAAAAAAAAAAA';

const PRINTED = /^(?:[0-9]{14}|[Aa]{14})$/;

/** Whether `text` is a 14-digit meter address (or the broadcast address). */
export function isMeterAddress(text: string): boolean {
  return PRINTED.test(text);
}

/** Printed address (A6..A0) → wire bytes (A0..A6) written into `out` at `offset`. */
export function writeAddress(out: Uint8Array, offset: number, printed: string): void {
  for (let i = 0; i < ADDRESS_BYTES; i++) {
    const pos = (ADDRESS_BYTES - 1 - i) * 2;
    out[offset + i] = parseInt(printed.slice(pos, pos + 2), 16);
  }
}

/** Wire bytes (A0..A6) → printed address (A6..A0), upper case. */
export function readAddress(bytes: Uint8Array, offset: number): string {
  let s = '';
  for (let i = ADDRESS_BYTES - 1; i >= 0; i--) {
    s += (bytes[offset + i] ?? 0).toString(16).padStart(2, '0');
  }
  return s.toUpperCase();
}
