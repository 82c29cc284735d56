import { Type, type Static } from 'typebox';

/** Counts by alarm severity (the model's four, ANSI/ISA-18.2 §6.3 priorities). */
export const SeverityCounts = Type.Object({
  critical: Type.Integer({ minimum: 0 }),
  major: Type.Integer({ minimum: 0 }),
  minor: Type.Integer({ minimum: 0 }),
  warning: Type.Integer({ minimum: 0 }),
});
export type SeverityCounts = Static<typeof SeverityCounts>;

/** A share of points meeting a condition: `ratio` is null when no point counts (nothing to say). */
const Share = {
  within: Type.Integer({ minimum: 0, description: 'points meeting the condition' }),
  total: Type.Integer({ minimum: 0, description: 'points with a usable (good, fresh) value' }),
  ratio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
};

export const SupplyKpi = Type.Object(
  {
    volumeM3: Type.Union([Type.Number(), Type.Null()], {
      description: 'm³ delivered since local midnight; null without any outlet flow point',
    }),
    /** Share of the time since midnight the flow points had data (gaps are not filled in). */
    coverage: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    flowM3h: Type.Union([Type.Number(), Type.Null()], { description: 'latest total outlet flow, m³/h' }),
    points: Type.Array(Type.String(), { description: 'the outlet flow points integrated' }),
  },
  { description: 'supply volume today: plant outlet flows integrated since local midnight' },
);

export const PressureKpi = Type.Object(
  {
    ...Share,
    minKpa: Type.Number(),
    maxKpa: Type.Optional(Type.Number()),
    low: Type.Integer({ minimum: 0 }),
    high: Type.Integer({ minimum: 0 }),
    basis: Type.String({ description: 'where the band comes from' }),
  },
  { description: 'pressure compliance: share of network pressure points within the service band' },
);

export const QualityKpi = Type.Object(
  {
    ...Share,
    byQuantity: Type.Record(Type.String(), Type.Object(Share)),
    basis: Type.String(),
  },
  { description: 'water-quality compliance: latest turbidity, free chlorine and pH within GB 5749-2022' },
);

export const AlarmKpi = Type.Object({
  available: Type.Boolean({ description: 'false when the server runs no alarm service' }),
  active: Type.Integer({ minimum: 0 }),
  unacknowledged: Type.Integer({ minimum: 0 }),
  bySeverity: SeverityCounts,
});

export const CompletenessKpi = Type.Object(
  {
    ...Share,
    stale: Type.Integer({ minimum: 0, description: 'points with no sample within staleFactor × interval' }),
    bad: Type.Integer({ minimum: 0, description: 'fresh points whose newest sample is not good' }),
    staleFactor: Type.Number(),
  },
  { description: 'data completeness: share of points with a good sample within 3× their interval' },
);

export const SiteSummary = Type.Object({
  key: Type.String({ description: '`site`, or `site.gateway` for one of several stations of a site' }),
  site: Type.String(),
  gateway: Type.Optional(Type.String({ description: 'edge node: the second segment of the point ids' })),
  name: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  district: Type.Optional(Type.String()),
  points: Type.Integer({ minimum: 0 }),
  fresh: Type.Integer({ minimum: 0, description: 'points with a good sample within staleFactor × interval' }),
  alarms: SeverityCounts,
  /** Up to four points worth showing beside the site (outlet flow, pressure, chlorine …). */
  keyPoints: Type.Array(
    Type.Object({
      id: Type.String(),
      quantity: Type.Optional(Type.String()),
      unit: Type.Optional(Type.String()),
    }),
  ),
});
export type SiteSummary = Static<typeof SiteSummary>;

export const OverviewKpis = Type.Object({
  at: Type.Integer({ description: 'ms epoch the figures were computed at' }),
  dayStart: Type.Integer({ description: 'local midnight the supply volume counts from, ms epoch' }),
  timeZone: Type.String(),
  supply: SupplyKpi,
  pressure: PressureKpi,
  quality: QualityKpi,
  alarms: AlarmKpi,
  completeness: CompletenessKpi,
  sites: Type.Array(SiteSummary),
});
export type OverviewKpis = Static<typeof OverviewKpis>;

// ---------------------------------------------------------------- the map (GeoJSON-like)

const Xy = Type.Array(Type.Number(), { minItems: 2, maxItems: 2 });
const Bbox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[minX, minY, maxX, maxY]' });

export const PipeFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Xy) }),
  properties: Type.Object({
    kind: Type.Literal('pipe'),
    district: Type.String(),
    diameterMm: Type.Number(),
    links: Type.Integer({ description: 'model links this simplified line stands for' }),
  }),
});

export const NodeFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Xy }),
  properties: Type.Object({
    kind: Type.Union([
      Type.Literal('reservoir'),
      Type.Literal('tank'),
      Type.Literal('pump'),
      Type.Literal('valve'),
    ]),
    district: Type.String(),
    id: Type.String({ description: 'element id in the network model' }),
  }),
});

export const SiteFeature = Type.Object({
  type: Type.Literal('Feature'),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Xy }),
  properties: Type.Object({
    kind: Type.Literal('site'),
    district: Type.String(),
    site: Type.String({ description: 'site id: the first segment of its point ids' }),
    key: Type.String({ description: 'as SiteSummary.key: links the feature to its live status' }),
    gateway: Type.Optional(Type.String({ description: 'edge node: the second segment of the point ids' })),
    element: Type.String({ description: 'the model node or link the site sits at' }),
    name: Type.Optional(Type.String()),
    siteKind: Type.Optional(Type.String()),
  }),
});

export const OverviewMap = Type.Object({
  type: Type.Literal('FeatureCollection'),
  configured: Type.Boolean({ description: 'false: the server has no `overview.map` (KPIs only)' }),
  /** Planar display units: each district scaled and laid out side by side; y grows upwards. */
  bbox: Bbox,
  districts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.Optional(Type.String()),
      network: Type.String(),
      bbox: Bbox,
      links: Type.Integer({ description: 'links in the model' }),
    }),
  ),
  features: Type.Array(Type.Union([PipeFeature, NodeFeature, SiteFeature])),
});
export type OverviewMap = Static<typeof OverviewMap>;
export type OverviewFeature = OverviewMap['features'][number];

export const OverviewQuery = Type.Object({
  project: Type.Optional(Type.String({ description: 'installation-wide principals only' })),
});
