import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '@watershed/common';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { parseInstant } from '../time.js';
import { AnalyticsApiErrors } from './errors.js';
import {
  DataQualityPage,
  DataQualityQuery,
  DistrictList,
  DistrictParams,
  DistrictReport,
  MeterHealthPage,
  MeterQuery,
  QualityQuery,
  QualityReport,
  RangeQuery,
} from './schemas.js';
import type { AnalyticsService, ProjectScope, TimeRange } from './service.js';

export interface AnalyticsRoutesOptions {
  access: Access;
  analytics: AnalyticsService;
  clock?: Clock;
}

const tags = ['analytics'];
const DAY = 86_400_000;

/**
 * How far back each report looks by default and how far it may: a month of daily balances is
 * a screen, a year is a report; raw-data checks cost more per day and are kept shorter.
 */
const SPANS = {
  district: { default: 14 * DAY, max: 366 * DAY },
  meters: { default: 14 * DAY, max: 92 * DAY },
  quality: { default: 7 * DAY, max: 92 * DAY },
  dataQuality: { default: DAY, max: 7 * DAY },
} as const;

/**
 * `/api/v1/analytics`: district water balance and minimum-night-flow leak detection, meter
 * health, GB 5749-2022 compliance and data-quality reports (issue 8 "water analytics").
 * Read-only, every role from viewer; scoped to the caller's project.
 */
export const analyticsRoutes: FastifyPluginCallbackTypebox<AnalyticsRoutesOptions> = (app, opts, done) => {
  const { access, analytics } = opts;
  const clock = opts.clock ?? systemClock;
  const viewer = access.require('viewer');
  const scopeOf = (req: FastifyRequest): ProjectScope => {
    const p = access.project(req);
    return p === '*' ? undefined : p;
  };
  const rangeOf = (q: { from?: string; to?: string }, span: { default: number; max: number }): TimeRange => {
    const to = q.to !== undefined ? parseInstant('to', q.to) : clock.now();
    const from = q.from !== undefined ? parseInstant('from', q.from) : to - span.default;
    if (from >= to) throw AnalyticsApiErrors.RANGE.create([`from (${from}) must be before to (${to})`]);
    if (to - from > span.max)
      throw AnalyticsApiErrors.RANGE.create([`at most ${span.max / DAY} days at a time`]);
    return { from, to };
  };

  app.get(
    '/analytics/districts',
    {
      preHandler: viewer,
      schema: {
        summary:
          "Districts (DMA) with today's and yesterday's water balance, minimum night flow and leak flag",
        tags,
        querystring: RangeQuery,
        response: { 200: DistrictList, ...errorResponses },
      },
    },
    async (req) => ({ items: await analytics.districts(scopeOf(req), clock.now()) }),
  );

  app.get(
    '/analytics/districts/:id',
    {
      preHandler: viewer,
      schema: {
        summary:
          'Daily water balance of a district: system input, metered consumption, NRW, MNF and leak flags',
        description: 'Local days overlapping [from, to); default the last 14 days, at most 366.',
        tags,
        params: DistrictParams,
        querystring: RangeQuery,
        response: { 200: DistrictReport, ...errorResponses },
      },
    },
    async (req) => {
      const report = await analytics.district(
        req.params.id,
        rangeOf(req.query, SPANS.district),
        scopeOf(req),
      );
      if (!report) throw AnalyticsApiErrors.DISTRICT_NOT_FOUND.create([req.params.id]);
      return report;
    },
  );

  app.get(
    '/analytics/districts/:id/meters',
    {
      preHandler: viewer,
      schema: {
        summary:
          "Health of a district's meters: completeness, last reading, stopped, reverse flow, jumps, battery, valve",
        description:
          'Default the last 14 days, at most 92. Faults first; `status` filters, `offset`/`limit` page.',
        tags,
        params: DistrictParams,
        querystring: MeterQuery,
        response: { 200: MeterHealthPage, ...errorResponses },
      },
    },
    async (req) => {
      const { status, offset, limit } = req.query;
      const page = await analytics.meters(
        req.params.id,
        { ...rangeOf(req.query, SPANS.meters), ...(status ? { status } : {}), offset, limit },
        scopeOf(req),
      );
      if (!page) throw AnalyticsApiErrors.DISTRICT_NOT_FOUND.create([req.params.id]);
      return page;
    },
  );

  app.get(
    '/analytics/quality',
    {
      preHandler: viewer,
      schema: {
        summary: 'GB 5749-2022 compliance per quality point and parameter (turbidity, pH, free chlorine)',
        description:
          'Time-weighted share inside the limits of 表1/表2 at the plant outlet and the network end, excursions with their peaks; bad-quality samples excluded and counted. Default the last 7 days, at most 92.',
        tags,
        querystring: QualityQuery,
        response: { 200: QualityReport, ...errorResponses },
      },
    },
    async (req) => {
      const { site } = req.query;
      return analytics.quality(
        { ...rangeOf(req.query, SPANS.quality), ...(site ? { site } : {}) },
        scopeOf(req),
      );
    },
  );

  app.get(
    '/analytics/data-quality',
    {
      preHandler: viewer,
      schema: {
        summary:
          "Data-quality report of a site's points: completeness, gaps, stuck values, spikes, range, bad quality",
        description: 'Default the last 24 h, at most 7 days; points by id, `offset`/`limit` page.',
        tags,
        querystring: DataQualityQuery,
        response: { 200: DataQualityPage, ...errorResponses },
      },
    },
    async (req) => {
      const { site, node, group, offset, limit } = req.query;
      const page = await analytics.dataQuality(
        {
          ...rangeOf(req.query, SPANS.dataQuality),
          site,
          ...(node ? { node } : {}),
          ...(group ? { group } : {}),
          offset,
          limit,
        },
        scopeOf(req),
      );
      if (!page) throw AnalyticsApiErrors.SITE_NOT_FOUND.create([site]);
      return page;
    },
  );

  done();
};
