import type { Json } from '@watershed/store';
import type { Principal } from '../auth/access.js';

export const tags = ['broker'];

/** Audit records of broker changes belong to the installation, not to a project. */
export const INSTALLATION = '*';

/** The author as the audit log names it, so a ban and its audit entry agree. */
export function actorOf(p: Principal): string {
  return p.kind === 'apiKey' ? `apikey:${p.name}` : p.name;
}

/** Plain JSON for the audit log (undefined fields dropped). */
export function asJson(value: object): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
