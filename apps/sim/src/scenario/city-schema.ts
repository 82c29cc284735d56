import { Name } from '@watershed/model';
import { Type, type Static } from 'typebox';

/** Protocols a simulated PLC can serve. */
export const PlantProtocol = Type.Union([
  Type.Literal('modbus-tcp'),
  Type.Literal('opcua'),
  Type.Literal('iec104'),
  Type.Literal('s7'),
]);
export type PlantProtocol = Static<typeof PlantProtocol>;

/** A district: one hydraulic run of a network model; several districts may run the same model side by side. */
export const DistrictSpec = Type.Object(
  {
    id: Name,
    network: Type.String({ minLength: 1, description: 'model file in the networks directory, e.g. L-TOWN' }),
    name: Type.Optional(Type.String()),
    chlorine: Type.Optional(
      Type.Object(
        {
          sources: Type.Record(Type.String(), Type.Number({ minimum: 0 }), {
            description: 'treated-water residual leaving each source node, mg/L',
          }),
          initial: Type.Optional(Type.Number({ minimum: 0 })),
          bulkPerDay: Type.Optional(Type.Number()),
          wallMPerDay: Type.Optional(Type.Number()),
        },
        {
          additionalProperties: false,
          description:
            "simulate free chlorine with EPANET's quality engine (replaces whatever chemical the model sets up)",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type DistrictSpec = Static<typeof DistrictSpec>;

const Element = Type.String({ minLength: 1 });

/** A plant or pump station of the reference deployment, built from its equipment list. */
export const StationSpec = Type.Object(
  {
    id: Name,
    name: Type.String({ minLength: 1 }),
    district: Name,
    kind: Type.Union(
      [
        Type.Literal('treatment-works'),
        Type.Literal('pump-station'),
        Type.Literal('booster'),
        Type.Literal('prv-station'),
        Type.Literal('reservoir-site'),
      ],
      { description: 'what the site is; decides nothing by itself, the equipment lists do' },
    ),
    protocol: PlantProtocol,
    unitId: Type.Integer({
      minimum: 1,
      maximum: 247,
      default: 1,
      description: 'Modbus unit / IEC 104 common address',
    }),
    pumps: Type.Array(
      Type.Object(
        {
          link: Element,
          units: Type.Integer({
            minimum: 1,
            maximum: 8,
            default: 1,
            description: 'motors behind the model pump; >1 = one on standby',
          }),
          ratedFlow: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'per unit, m³/h' })),
          ratedHead: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'm' })),
          volts: Type.Number({ default: 400, exclusiveMinimum: 0 }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    valves: Type.Array(Element, { default: [], description: 'valve (or pipe) links with a control valve' }),
    flowMeters: Type.Array(Element, { default: [], description: 'pipes with a flow meter' }),
    tanks: Type.Array(Element, { default: [] }),
    analysers: Type.Array(Element, { default: [], description: 'nodes with a water-quality panel' }),
    dosing: Type.Array(
      Type.Object(
        { link: Element, dose: Type.Number({ exclusiveMinimum: 0, description: 'mg/L' }) },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    filters: Type.Optional(
      Type.Object(
        { link: Element, count: Type.Integer({ minimum: 2, maximum: 64 }) },
        { additionalProperties: false, description: "a filter bank sharing the works' output on `link`" },
      ),
    ),
    loggers: Type.Integer({
      minimum: 0,
      maximum: 5000,
      default: 0,
      description:
        "district pressure loggers reporting through the station, spread over the district's junctions",
    }),
  },
  { additionalProperties: false },
);
export type StationSpec = Static<typeof StationSpec>;

/** A CJ/T 188 concentrator reading the household meters of a district over TCP. */
export const ConcentratorSpec = Type.Object(
  {
    district: Name,
    count: Type.Integer({ minimum: 1, maximum: 100_000 }),
    port: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 65535, description: 'default: concentratorPort + index; 0 = any' }),
    ),
  },
  { additionalProperties: false },
);
export type ConcentratorSpec = Static<typeof ConcentratorSpec>;
