import { Type, type Static } from 'typebox';

/** OPC UA-style three-level quality; a failed read is data, not an exception. */
export const Quality = Type.Union([Type.Literal('good'), Type.Literal('uncertain'), Type.Literal('bad')]);
export type Quality = Static<typeof Quality>;

export const SampleValue = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]);
export type SampleValue = Static<typeof SampleValue>;

export const Sample = Type.Object(
  {
    ts: Type.Integer({ description: 'ms since the Unix epoch; source time when the device gives one' }),
    value: SampleValue,
    quality: Quality,
    reason: Type.Optional(Type.String({ description: 'why the quality is not good, e.g. an error code' })),
  },
  { additionalProperties: false },
);
export type Sample = Static<typeof Sample>;

export function goodSample(ts: number, value: SampleValue): Sample {
  return { ts, value, quality: 'good' };
}

export function badSample(ts: number, reason: string): Sample {
  return { ts, value: null, quality: 'bad', reason };
}
