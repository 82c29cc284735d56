import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import { Errors } from '@watershed/common';
import { RoleMapping, RuleSetProfile } from '@watershed/alarms';

const Hour = (d: number, description: string) =>
  Type.Number({ minimum: 0, maximum: 24, default: d, description });

/** One district metered area (DMA) and how it is measured. */
export const DistrictConfig = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'the district id: the site its meter points live in' }),
    name: Type.Optional(Type.String()),
    project: Type.Optional(
      Type.String({
        minLength: 1,
        description: "owning project; default the site's, else analytics.project",
      }),
    ),
    inflows: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description:
          "inlet flow points (m³/h) summed into the system input; default: the site's *_INLET_FLOW points and the FT<n>_FLOW meters of its <site>-works station",
      }),
    ),
    properties: Type.Optional(
      Type.Integer({ minimum: 0, description: 'connected properties; default the number of meters' }),
    ),
    nonHouseholdNightUseM3h: Type.Optional(
      Type.Number({ minimum: 0, description: 'legitimate night use of large users, m³/h' }),
    ),
    meterReportIntervalS: Type.Optional(Type.Integer({ minimum: 1 })),
    meterSizeMm: Type.Optional(
      Type.Integer({ minimum: 10, description: 'DN of the household meters; default 15' }),
    ),
  },
  { additionalProperties: false },
);
export type DistrictConfig = Static<typeof DistrictConfig>;

/**
 * The server config's `analytics` section (optional; every field has a default). Districts and
 * quality points are found by the platform's naming conventions when not listed; listing them
 * replaces the convention for what is listed.
 */
export const AnalyticsConfig = Type.Object(
  {
    project: Type.String({
      minLength: 1,
      default: 'default/default',
      description: 'project of districts and sites that have no site record and no project here',
    }),
    tzOffsetMinutes: Type.Integer({
      minimum: -840,
      maximum: 840,
      default: 480,
      description: 'local time as minutes east of UTC, for local days and the night window (China: 480)',
    }),
    night: Type.Object(
      {
        startHour: Hour(2, 'night window start, local hour'),
        endHour: Hour(4, 'night window end, local hour'),
        rollingMinutes: Type.Number({
          exclusiveMinimum: 0,
          default: 15,
          description: 'MNF = lowest rolling mean of this length',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    allowanceLPerPropertyH: Type.Number({
      minimum: 0,
      default: 1.7,
      description: 'legitimate night use per property, L/property/h',
    }),
    leak: Type.Object(
      {
        baselineNights: Type.Integer({ minimum: 1, default: 7 }),
        minBaselineNights: Type.Integer({ minimum: 1, default: 3 }),
        thresholdM3h: Type.Number({ minimum: 0, default: 0.5 }),
        thresholdPct: Type.Number({ minimum: 0, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
    minCoveragePct: Type.Number({
      minimum: 0,
      maximum: 100,
      default: 90,
      description: 'below it a day has no NRW',
    }),
    meterReportIntervalS: Type.Integer({
      minimum: 1,
      default: 3600,
      description: 'how often a meter is expected to report',
    }),
    districts: Type.Optional(
      Type.Array(DistrictConfig, { description: 'default: every site with meter points' }),
    ),
    quality: Type.Object(
      {
        profile: Type.Optional(RuleSetProfile),
        points: Type.Optional(
          Type.Array(RoleMapping, {
            description:
              'quality points and their GB 5749 role; default: the alarms rule-set mappings, else by convention',
          }),
        ),
      },
      {
        additionalProperties: false,
        default: {},
        description: "GB 5749-2022 compliance; profile default 'standard'",
      },
    ),
  },
  { additionalProperties: false },
);
export type AnalyticsConfig = Static<typeof AnalyticsConfig>;

/** The section with every default filled in; a bad value is WS_ERR_CONFIG_INVALID naming its path. */
export function analyticsSettings(section: unknown = {}): AnalyticsConfig {
  const withDefaults = Value.Default(AnalyticsConfig, Value.Clone(section ?? {}));
  if (!check.Check(withDefaults)) {
    const first = [...check.Errors(withDefaults)][0];
    throw Errors.CONFIG_INVALID.create([
      'analytics',
      first ? `${first.instancePath || '/'} ${first.message}` : 'invalid',
    ]);
  }
  return withDefaults;
}

const check = Compile(AnalyticsConfig);
