import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../schemas.js';
import { MeterApiErrors } from './errors.js';
import { UplinkBody, UplinkParams, UplinkQuery, UplinkResult } from './schemas.js';
import type { MeterUplinkService } from './service.js';

export interface UplinkRoutesOptions {
  uplink: MeterUplinkService;
  /** Largest body accepted, bytes; fastify answers 413 beyond it. */
  bodyLimit: number;
}

/**
 * `POST /api/v1/meters/uplink/:vendor`: a vendor platform's HTTP push (issue 5). Not a console
 * route: the caller is a vendor's cloud, authenticated by that vendor's own token (configured
 * in `meters.vendors[].transport.tokens`), so the route is public to the console's principal
 * hook and checks the token itself. A console API key is no vendor token and is refused.
 *
 * 202 once the accepted readings are durable, with every refused one listed by index: a
 * refused reading will be refused again, so the vendor should not resend it; 503 when the
 * store failed, which the vendor should retry (duplicates are harmless: same meter and time
 * replace, never add).
 */
export const uplinkRoutes: FastifyPluginCallbackTypebox<UplinkRoutesOptions> = (app, opts, done) => {
  const { uplink } = opts;
  app.post(
    '/meters/uplink/:vendor',
    {
      bodyLimit: opts.bodyLimit,
      config: { public: true },
      schema: {
        summary: "Push one meter reading or a batch in a vendor's own format",
        description:
          'Authenticated by the vendor token: `Authorization: Bearer <token>` or `?access_token=<token>` (RFC 6750 §2.1, §2.3).',
        tags: ['meters'],
        params: UplinkParams,
        querystring: UplinkQuery,
        body: UplinkBody,
        response: { 202: UplinkResult, ...errorResponses },
      },
    },
    async (req, reply) => {
      const vendor = uplink.vendor(req.params.vendor);
      const token = tokenOf(req, req.query.access_token);
      // An unknown vendor and a wrong token look alike to the caller until the token is right,
      // so the list of configured vendors cannot be probed without one.
      if (!vendor || token === undefined || !vendor.authenticate(token)) {
        if (vendor && token !== undefined)
          req.log.warn({ vendor: req.params.vendor }, 'meter uplink: wrong token');
        void reply.header('www-authenticate', 'Bearer realm="meters", error="invalid_token"');
        throw MeterApiErrors.UNAUTHORIZED.create([req.params.vendor]);
      }
      const items: readonly unknown[] = Array.isArray(req.body) ? req.body : [req.body];
      if (items.length === 0) throw MeterApiErrors.BATCH_EMPTY.create();
      if (items.length > vendor.maxBatch)
        throw MeterApiErrors.BATCH_TOO_LARGE.create([items.length, req.params.vendor, vendor.maxBatch]);
      const result = await vendor.ingest(items);
      return reply.code(202).send(result);
    },
  );
  done();
};

/** `Authorization: Bearer <token>` (RFC 6750 §2.1), else the `access_token` query parameter (§2.3). */
function tokenOf(req: FastifyRequest, query: string | undefined): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }
  return query !== undefined && query.length > 0 ? query : undefined;
}
