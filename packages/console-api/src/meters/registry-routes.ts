import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { MeterApiErrors } from './errors.js';
import { MeterDetail, MeterList, MeterListQuery, MeterParams, MeterReadingsQuery } from './schemas.js';
import type { MeterRegistryService, MeterView } from './service.js';

export interface RegistryRoutesOptions {
  access: Access;
  registry: MeterRegistryService;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * `GET /api/v1/meters`, `GET /api/v1/meters/:id`: the meters the platform has seen, with their
 * newest reading, battery and valve state, for every role of the meter's project (a vendor's
 * meters belong to the project its config names). Another project's meter answers 404.
 */
export const registryRoutes: FastifyPluginCallbackTypebox<RegistryRoutesOptions> = (app, opts, done) => {
  const { access, registry } = opts;

  const visible = (req: FastifyRequest, m: MeterView): boolean => {
    const project = access.project(req);
    return project !== undefined
      ? m.project === project && access.canSee(req, m.project)
      : access.canSee(req, m.project);
  };

  app.get(
    '/meters',
    {
      schema: {
        summary: 'Registered meters with their newest reading',
        tags: ['meters'],
        querystring: MeterListQuery,
        response: { 200: MeterList, ...errorResponses },
      },
    },
    async (req) => {
      const { district, vendor } = req.query;
      const items = (await registry.list()).filter(
        (m) =>
          visible(req, m) &&
          (district === undefined || m.district === district) &&
          (vendor === undefined || m.vendor === vendor),
      );
      return { items };
    },
  );

  app.get(
    '/meters/:id',
    {
      schema: {
        summary: 'One meter and its recent register readings',
        tags: ['meters'],
        params: MeterParams,
        querystring: MeterReadingsQuery,
        response: { 200: MeterDetail, ...errorResponses },
      },
    },
    async (req) => {
      const meter = await registry.get(req.params.id);
      if (!meter || !visible(req, meter)) throw MeterApiErrors.NOT_FOUND.create([req.params.id]);
      // Meters report on their own clock (a simulated city runs ahead or behind the wall clock):
      // the default window ends at the meter's newest reading, not at now.
      const to = req.query.to ?? meter.lastReadingTs;
      const readings =
        to === undefined
          ? []
          : await registry.readings(meter.id, {
              from: req.query.from ?? to - WEEK_MS,
              to,
              limit: req.query.limit,
            });
      return { ...meter, readings };
    },
  );
  done();
};
