import { Type, type Static } from 'typebox';
import { Name } from './names.js';

export const Site = Type.Object(
  {
    id: Name,
    name: Type.String(),
    kind: Type.Union([
      Type.Literal('plant'),
      Type.Literal('pump-station'),
      Type.Literal('reservoir'),
      Type.Literal('district'),
      Type.Literal('office'),
    ]),
    location: Type.Optional(Type.Object({ x: Type.Number(), y: Type.Number() })),
  },
  { additionalProperties: false },
);
export type Site = Static<typeof Site>;

/** A physical thing in a site that points belong to: a pump, a tank, a valve, an analyser. */
export const Asset = Type.Object(
  {
    id: Name,
    site: Name,
    name: Type.String(),
    kind: Type.Union([
      Type.Literal('pump'),
      Type.Literal('tank'),
      Type.Literal('valve'),
      Type.Literal('junction'),
      Type.Literal('analyser'),
      Type.Literal('meter'),
      Type.Literal('other'),
    ]),
  },
  { additionalProperties: false },
);
export type Asset = Static<typeof Asset>;
