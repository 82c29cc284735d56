import { createHash } from 'node:crypto';
import { canonicalJson } from '@watershed/model';

/**
 * The checksum of a pushed config: lowercase hex SHA-256 of its canonical JSON (keys sorted at
 * every level, no whitespace; see `canonicalJson` in @watershed/model, RFC 8785 for these
 * values). The console computes the same over the `config` member it publishes; computing it
 * over the canonical form, not the bytes received, lets either side re-serialise freely.
 */
export function configChecksum(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config), 'utf8').digest('hex');
}
