import { Type, type Static } from 'typebox';

/**
 * Wire shapes of `/api/v1/analytics`. They mirror the results of `@watershed/water` (which the
 * server computes them with), as the API's own contract: the console and its OpenAPI document
 * depend on these, not on the analytics' internals.
 */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Ms = Type.Integer({ description: 'ms since the Unix epoch' });

export const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'ms epoch or ISO-8601; default depends on the route' })),
  to: Type.Optional(Type.String({ description: 'ms epoch or ISO-8601; default now' })),
  project: Type.Optional(
    Type.String({ description: 'installation-wide principals only: limit to this project' }),
  ),
});

export const Reading = Type.Object({ ts: Ms, value: Type.Number() });

// ------------------------------------------------------------------ districts (DMA balance, MNF)

export const DistrictParams = Type.Object({
  id: Type.String({ minLength: 1, description: 'district id (the site of its points)' }),
});

export const DistrictInfo = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    project: Type.String(),
    inflowPoints: Type.Array(Type.String(), {
      description: 'inlet flow points summed into the system input, m³/h',
    }),
    meters: Type.Integer({ minimum: 0, description: 'customer meters (register points) of the district' }),
    properties: Type.Integer({ minimum: 0, description: 'connected properties the night allowance counts' }),
  },
  { additionalProperties: false },
);
export type DistrictInfo = Static<typeof DistrictInfo>;

export const DmaDay = Type.Object(
  {
    date: Type.String({ description: 'local date, YYYY-MM-DD' }),
    start: Ms,
    end: Ms,
    systemInputM3: Nullable(Type.Number({ description: 'system input volume, m³' })),
    inflowCoveragePct: Type.Number(),
    meteredM3: Type.Number({ description: 'metered consumption: register advance prorated to the day, m³' }),
    meterCoveragePct: Type.Number(),
    nrwM3: Nullable(
      Type.Number({ description: 'non-revenue water = system input − metered, m³; null when under-covered' }),
    ),
    nrwPct: Nullable(Type.Number()),
    mnfM3h: Nullable(
      Type.Number({ description: 'minimum night flow, lowest rolling mean in the night window, m³/h' }),
    ),
    mnfAt: Nullable(Ms),
    allowanceM3h: Type.Number({ description: 'legitimate night use allowance, m³/h' }),
    leakEstimateM3h: Nullable(Type.Number({ description: 'MNF − allowance, m³/h' })),
    baselineM3h: Nullable(Type.Number({ description: 'median MNF of the previous normal nights, m³/h' })),
    mnfRiseM3h: Nullable(Type.Number({ description: 'MNF − baseline: the size of a new leak, m³/h' })),
    leak: Type.Boolean(),
    resets: Type.Integer({ minimum: 0, description: 'meter registers restarted (replacements)' }),
    rollovers: Type.Integer({ minimum: 0 }),
    reverse: Type.Integer({ minimum: 0, description: 'unexplained register drops' }),
  },
  { additionalProperties: false },
);
export type DmaDay = Static<typeof DmaDay>;

export const DistrictSummary = Type.Object(
  {
    ...DistrictInfo.properties,
    today: Nullable(DmaDay),
    yesterday: Nullable(DmaDay),
    leak: Type.Boolean({
      description: "today's night (or yesterday's when today's is not known yet) is flagged",
    }),
  },
  { additionalProperties: false },
);
export type DistrictSummary = Static<typeof DistrictSummary>;

export const DistrictList = Type.Object(
  { items: Type.Array(DistrictSummary) },
  { additionalProperties: false },
);
export type DistrictList = Static<typeof DistrictList>;

export const AnalysisSettings = Type.Object(
  {
    tzOffsetMinutes: Type.Integer(),
    nightStartHour: Type.Number(),
    nightEndHour: Type.Number(),
    rollingMinutes: Type.Number(),
    allowanceLPerPropertyH: Type.Number(),
    baselineNights: Type.Integer(),
    leakThresholdM3h: Type.Number(),
    leakThresholdPct: Type.Number(),
  },
  { additionalProperties: false },
);
export type AnalysisSettings = Static<typeof AnalysisSettings>;

export const DistrictReport = Type.Object(
  {
    district: DistrictInfo,
    from: Ms,
    to: Ms,
    settings: AnalysisSettings,
    days: Type.Array(DmaDay),
  },
  { additionalProperties: false },
);
export type DistrictReport = Static<typeof DistrictReport>;

// ------------------------------------------------------------------ meter health

export const MeterStatus = Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('fault')]);
export type MeterStatus = Static<typeof MeterStatus>;

export const MeterReason = Type.Object(
  {
    code: Type.String({
      description:
        'no-readings | incomplete | stale | zero-consumption | reverse-flow | sudden-jump | register-reset | battery-low | valve-closed',
    }),
    severity: Type.Union([Type.Literal('warn'), Type.Literal('fault')]),
    message: Type.String(),
    ts: Type.Optional(Ms),
  },
  { additionalProperties: false },
);

export const MeterHealth = Type.Object(
  {
    id: Type.String({ description: 'meter id (the point tag)' }),
    point: Type.String({ description: 'register point, site.node.meters.tag' }),
    status: MeterStatus,
    reasons: Type.Array(MeterReason),
    readings: Type.Integer({ minimum: 0 }),
    expectedReadings: Type.Integer({ minimum: 0 }),
    completenessPct: Type.Number(),
    lastReadingTs: Nullable(Ms),
    lastReadingAgeMs: Nullable(Type.Number()),
    lastValueM3: Nullable(Type.Number()),
    consumptionM3: Type.Number(),
  },
  { additionalProperties: false },
);
export type MeterHealth = Static<typeof MeterHealth>;

export const MeterQuery = Type.Object({
  ...RangeQuery.properties,
  status: Type.Optional(MeterStatus),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

export const StatusCounts = Type.Object(
  {
    ok: Type.Integer({ minimum: 0 }),
    warn: Type.Integer({ minimum: 0 }),
    fault: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const MeterHealthPage = Type.Object(
  {
    district: Type.String(),
    from: Ms,
    to: Ms,
    counts: StatusCounts,
    total: Type.Integer({ minimum: 0, description: 'meters matching the status filter' }),
    offset: Type.Integer({ minimum: 0 }),
    items: Type.Array(MeterHealth, {
      description: 'faults first, then warnings, then ok; by id within each',
    }),
  },
  { additionalProperties: false },
);
export type MeterHealthPage = Static<typeof MeterHealthPage>;

// ------------------------------------------------------------------ GB 5749 compliance

export const QualityQuery = Type.Object({
  ...RangeQuery.properties,
  site: Type.Optional(Type.String({ minLength: 1 })),
});

export const Excursion = Type.Object(
  {
    side: Type.Union([Type.Literal('high'), Type.Literal('low')]),
    start: Ms,
    end: Ms,
    durationMs: Type.Number(),
    peak: Reading,
    open: Type.Boolean({ description: 'still outside at the end of the range' }),
  },
  { additionalProperties: false },
);

export const QualityCompliance = Type.Object(
  {
    point: Type.String(),
    site: Type.String(),
    parameter: Type.Union([Type.Literal('turbidity'), Type.Literal('ph'), Type.Literal('chlorine')]),
    role: Type.Union([Type.Literal('plant-outlet'), Type.Literal('network-end')]),
    unit: Type.String(),
    min: Nullable(Type.Number()),
    max: Nullable(Type.Number()),
    sources: Type.Array(Type.String(), { description: 'the standard clauses the limits come from' }),
    samples: Type.Integer({
      minimum: 0,
      description: 'means counted (of width resolutionMs) of good/uncertain samples',
    }),
    uncertain: Type.Integer({ minimum: 0 }),
    excluded: Type.Integer({ minimum: 0, description: 'bad-quality samples, excluded' }),
    compliantSamples: Type.Integer({ minimum: 0 }),
    coveredMs: Type.Number(),
    compliantMs: Type.Number(),
    compliancePct: Nullable(Type.Number({ description: 'time-weighted share inside the limits, %' })),
    coveragePct: Type.Number(),
    worst: Nullable(Reading),
    excursions: Type.Array(Excursion),
  },
  { additionalProperties: false },
);
export type QualityCompliance = Static<typeof QualityCompliance>;

export const QualityReport = Type.Object(
  {
    standard: Type.String({ description: 'e.g. GB 5749-2022' }),
    profile: Type.String(),
    resolutionMs: Type.Integer({
      description: 'width of the means judged: 1 min up to 7 days, 15 min beyond',
    }),
    from: Ms,
    to: Ms,
    items: Type.Array(QualityCompliance),
  },
  { additionalProperties: false },
);
export type QualityReport = Static<typeof QualityReport>;

// ------------------------------------------------------------------ data quality

export const DataQualityQuery = Type.Object({
  ...RangeQuery.properties,
  site: Type.String({ minLength: 1 }),
  node: Type.Optional(Type.String({ minLength: 1 })),
  group: Type.Optional(Type.String({ minLength: 1 })),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const PointDataQuality = Type.Object(
  {
    point: Type.String(),
    basis: Type.Union([Type.Literal('raw'), Type.Literal('1m')], {
      description: 'raw samples, or 1-minute means for points reporting faster than once a minute',
    }),
    expectedIntervalMs: Type.Number(),
    expected: Type.Integer({ minimum: 0 }),
    received: Type.Integer({ minimum: 0 }),
    completenessPct: Type.Number(),
    gaps: Type.Array(
      Type.Object({ from: Ms, to: Ms, missing: Type.Integer() }, { additionalProperties: false }),
    ),
    gapCount: Type.Integer({ minimum: 0 }),
    stuck: Type.Array(
      Type.Object(
        { from: Ms, to: Ms, value: Type.Number(), intervals: Type.Number(), readings: Type.Integer() },
        { additionalProperties: false },
      ),
    ),
    stuckReadings: Type.Integer({ minimum: 0 }),
    spikes: Type.Array(
      Type.Object({ ts: Ms, value: Type.Number(), z: Type.Number() }, { additionalProperties: false }),
    ),
    spikeCount: Type.Integer({ minimum: 0 }),
    outOfRange: Type.Array(Reading),
    outOfRangeCount: Type.Integer({ minimum: 0 }),
    bad: Type.Integer({ minimum: 0 }),
    uncertain: Type.Integer({ minimum: 0 }),
    badPct: Type.Number(),
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    issues: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type PointDataQuality = Static<typeof PointDataQuality>;

export const DataQualityPage = Type.Object(
  {
    site: Type.String(),
    from: Ms,
    to: Ms,
    total: Type.Integer({ minimum: 0, description: 'numeric points of the site matching the filter' }),
    offset: Type.Integer({ minimum: 0 }),
    items: Type.Array(PointDataQuality),
  },
  { additionalProperties: false },
);
export type DataQualityPage = Static<typeof DataQualityPage>;
