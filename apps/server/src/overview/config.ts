import { Type, type Static } from 'typebox';

const Name = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

export const OverviewDistrict = Type.Object(
  {
    id: Name,
    name: Type.Optional(Type.String()),
    network: Type.String({
      minLength: 1,
      description: 'EPANET .inp file: a path, or a model name (L-TOWN, Net3) in `networksDir`',
    }),
    offset: Type.Optional(
      Type.Object(
        { x: Type.Number(), y: Type.Number() },
        {
          additionalProperties: false,
          description:
            "where the district's lower-left corner goes, display units; default: right of the previous one",
        },
      ),
    ),
    size: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          "display length of the district's longer side; default 1000 (models draw in feet, metres or no unit at all)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type OverviewDistrict = Static<typeof OverviewDistrict>;

export const OverviewSite = Type.Object(
  {
    site: Name,
    gateway: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{1,64}$',
        description:
          "the station's edge node (second segment of its point ids) when several stations share one site, as the simulator's district stations do",
      }),
    ),
    district: Name,
    node: Type.Optional(Type.String({ minLength: 1, description: 'model node the site sits at' })),
    link: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'model link (pump, valve, pipe) the site sits at, drawn at its middle',
      }),
    ),
    name: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String({ description: 'treatment-works, pump-station, prv-station …' })),
  },
  { additionalProperties: false },
);
export type OverviewSite = Static<typeof OverviewSite>;

export const OverviewMapConfig = Type.Object(
  {
    networksDir: Type.Optional(
      Type.String({ description: 'where model names are looked up; default $WATERSHED_NETWORKS_DIR' }),
    ),
    districts: Type.Array(OverviewDistrict, { minItems: 1 }),
    sites: Type.Array(OverviewSite, { default: [] }),
  },
  { additionalProperties: false },
);
export type OverviewMapConfig = Static<typeof OverviewMapConfig>;

/**
 * The `overview:` section of the server config: the map the city overview draws, and which
 * points its KPIs read. Every key has a default that suits the simulator's plants.
 */
export const OverviewConfig = Type.Object(
  {
    timeZone: Type.Optional(
      Type.String({
        description: "IANA zone whose midnight starts 'today' (e.g. Asia/Shanghai); default the server's",
      }),
    ),
    map: Type.Optional(OverviewMapConfig),
    supply: Type.Object(
      {
        sites: Type.Optional(
          Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9_-]{1,64})?$' }), {
            description:
              'sites (or site.gateway stations) whose outlet flows count; default the map sites of kind treatment-works, else every site',
          }),
        ),
        tagPatterns: Type.Array(Type.String({ minLength: 1 }), {
          default: ['^FT\\d+_FLOW$', '^P[A-Za-z0-9]*_FLOW$'],
          description:
            "regexes of outlet flow tags (quantity flow, in m3/h, L/s or m3/s), tried in order per site: the first that matches any of a site's points is that site's outlet (flow meters before pump flows, so a works is not counted twice)",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    pressure: Type.Object(
      {
        minKpa: Type.Number({
          default: 280,
          description:
            'least service pressure: 0.28 MPa, the minimum service head of GB 50013-2018 for six storeys (10 m for one, 12 m for two, +4 m per storey)',
        }),
        maxKpa: Type.Optional(Type.Number({ description: 'greatest service pressure; none by default' })),
        excludePattern: Type.String({
          default: '(_PRESS_(MIN|MAX)|DISCH_PRESS|_UP_PRESS|_DP)$',
          description:
            'pressure tags that are not service pressure (pump discharge, valve inlet, minute extremes)',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    quality: Type.Object(
      {
        profile: Type.Union([Type.Literal('standard'), Type.Literal('small-system')], {
          default: 'standard',
          description: 'GB 5749-2022 profile: small-system relaxes turbidity to 3 NTU (clause 4.3)',
        }),
        networkEndPattern: Type.String({
          default: '(^|_)(FAR|END)(_|$)',
          description:
            'quality tags measuring network water (末梢水) even at a supplying site, e.g. CL_FAR_END; the others there are plant outlet (出厂水)',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    completeness: Type.Object(
      {
        staleFactor: Type.Number({ exclusiveMinimum: 0, default: 3 }),
        defaultIntervalMs: Type.Integer({
          minimum: 1,
          default: 60_000,
          description: 'interval assumed for a point until two of its samples have been seen',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type OverviewConfig = Static<typeof OverviewConfig>;
