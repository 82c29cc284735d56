import { createHash, timingSafeEqual } from 'node:crypto';
import type { MeterVendorConfig } from './config.js';
import type { MeterIngest, MeterIngestResult } from './meter-ingest.js';

/** One HTTP vendor as the console API's uplink route sees it (console-api MeterUplinkVendor). */
export interface HttpMeterVendor {
  readonly maxBatch: number;
  authenticate(token: string): boolean;
  ingest(items: readonly unknown[]): Promise<MeterIngestResult>;
}

/** The console API's MeterUplinkService, over the vendors configured with `transport: http`. */
export interface HttpMeterUplink {
  vendor(id: string): HttpMeterVendor | undefined;
}

/**
 * Per-vendor bearer tokens, not console API keys: a vendor's cloud platform (the NB-IoT
 * operator's forwarding service) is configured once with a URL and a secret, may write only
 * its own meters' readings, and has no business with a console role or project membership.
 * Several tokens per vendor allow rotation without a gap. Tokens are compared as SHA-256
 * digests in constant time, so neither length nor prefix leaks through timing.
 */
export function httpMeterUplink(vendors: readonly MeterVendorConfig[], ingest: MeterIngest): HttpMeterUplink {
  const byId = new Map<string, HttpMeterVendor>();
  for (const v of vendors) {
    if (v.transport.type !== 'http') continue;
    const digests = v.transport.tokens.map(digest);
    const id = v.id;
    byId.set(id, {
      maxBatch: v.transport.maxBatch,
      authenticate(token) {
        const d = digest(token);
        let ok = false;
        for (const known of digests) ok = timingSafeEqual(d, known) || ok;
        return ok;
      },
      ingest: (items) => ingest.ingest(id, items),
    });
  }
  return { vendor: (id) => byId.get(id) };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
