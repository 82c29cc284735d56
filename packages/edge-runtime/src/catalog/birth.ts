import type { EdgeStatus } from '@watershed/model';
import { splitCatalog } from './split-catalog.js';

export interface BirthMessages {
  /** The retained status; carries `groups` only when the whole status fits one part. */
  status: string;
  /** The catalog's parts, part 1 first (also published for small catalogs: one path for readers). */
  parts: Buffer[];
  checksum: string;
}

/**
 * What a gateway announces on (re)connect: its catalog cut into parts under `maxBytes`, and its
 * status. A status that fits keeps `groups` inline, so a cloud that reads only the status (the
 * format before parts) keeps working for gateways of ordinary size; a bigger one leaves them out
 * and the reader takes them from the parts.
 */
export function birthMessages(birth: EdgeStatus, maxBytes: number): BirthMessages {
  const { groups = [], ...status } = birth;
  const catalog = splitCatalog(groups, {
    node: birth.node,
    configVersion: birth.configVersion ?? '0',
    ts: birth.ts,
    maxBytes,
  });
  const whole = catalog.parts.length === 1 ? JSON.stringify(birth) : undefined;
  return {
    status: whole !== undefined && Buffer.byteLength(whole) <= maxBytes ? whole : JSON.stringify(status),
    parts: catalog.parts,
    checksum: catalog.checksum,
  };
}
