import { Type, type Static } from 'typebox';
import { Name } from './names.js';

export const DataType = Type.Union([
  Type.Literal('bool'),
  Type.Literal('int16'),
  Type.Literal('uint16'),
  Type.Literal('int32'),
  Type.Literal('uint32'),
  Type.Literal('int64'),
  Type.Literal('uint64'),
  Type.Literal('float'),
  Type.Literal('double'),
  Type.Literal('string'),
]);
export type DataType = Static<typeof DataType>;

/** What a point measures, so dashboards and analytics can find it without parsing names. */
export const Quantity = Type.Union([
  Type.Literal('flow'),
  Type.Literal('pressure'),
  Type.Literal('level'),
  Type.Literal('status'),
  Type.Literal('speed'),
  Type.Literal('chlorine'),
  Type.Literal('turbidity'),
  Type.Literal('ph'),
  Type.Literal('conductivity'),
  Type.Literal('volume'),
  Type.Literal('power'),
  Type.Literal('setting'),
  Type.Literal('other'),
]);
export type Quantity = Static<typeof Quantity>;

/**
 * A point (tag) as the platform knows it: one time series.
 * Its id is `site.node.group.tag`, which is also where its samples arrive from.
 */
export const Point = Type.Object(
  {
    id: Type.String({ description: 'site.node.group.tag' }),
    site: Name,
    node: Name,
    group: Name,
    tag: Name,
    name: Type.Optional(Type.String()),
    asset: Type.Optional(Name),
    quantity: Type.Optional(Quantity),
    unit: Type.Optional(Type.String()),
    dataType: Type.Optional(DataType),
    writable: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type Point = Static<typeof Point>;

export interface PointAddress {
  site: string;
  node: string;
  group: string;
  tag: string;
}

export function pointId(p: PointAddress): string {
  return `${p.site}.${p.node}.${p.group}.${p.tag}`;
}

/** Splits a point id; undefined when it does not have exactly four non-empty segments. */
export function parsePointId(id: string): PointAddress | undefined {
  const parts = id.split('.');
  if (parts.length !== 4 || parts.some((s) => s.length === 0)) return undefined;
  const [site, node, group, tag] = parts as [string, string, string, string];
  return { site, node, group, tag };
}
