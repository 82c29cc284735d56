/** Helpers for this folder's tests (not exported from the package). */
import { defineError } from '@watershed/common';
import type { ConnectionEvents } from './transport.js';

export const TestErrors = {
  DISCONNECTED: defineError('WS_ERR_TEST_DISCONNECTED', 503, 'not connected to %s: %s'),
  SERIAL_UNAVAILABLE: defineError('WS_ERR_TEST_SERIAL_UNAVAILABLE', 501, 'cannot open %s'),
};

/** A driver's LinkErrorFactory, as the drivers bind it to their catalogs. */
export const lost = (description: string, why: string, cause?: unknown): Error =>
  TestErrors.DISCONNECTED.create([description, why], undefined, cause);

/** Records what a connection reports; `closed` settles with the loss error. */
export function recorder(): ConnectionEvents & { chunks: Buffer[]; closed: Promise<Error | undefined> } {
  let onClose!: (e: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (onClose = resolve));
  const chunks: Buffer[] = [];
  return { chunks, closed, onData: (c) => chunks.push(Buffer.from(c)), onClose: (e) => onClose(e) };
}
