import { Type, type Static } from 'typebox';

/** The webhook's own fields; sink-core adds id, batch, queue, retry (composeSinkSchema). */
export const HttpSinkConfig = Type.Object({
  url: Type.String({ pattern: '^https?://', description: 'endpoint, http:// or https://' }),
  method: Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH')], {
    default: 'POST',
  }),
  headers: Type.Record(Type.String(), Type.String(), {
    default: {},
    description: 'request headers; values are ${field} templates over the first row of the batch',
  }),
  body: Type.Optional(
    Type.String({
      description:
        'template rendered per row (${field}, ${field|json}, ${field|url}); rows joined by `separator`. ' +
        'Omitted: the batch as a JSON array of rows',
    }),
  ),
  separator: Type.String({ default: '\n', description: 'between rendered rows of one batch' }),
  contentType: Type.Optional(
    Type.String({
      description: 'Content-Type; default application/json without a body template, text/plain with one',
    }),
  ),
  timeoutMs: Type.Integer({
    minimum: 1,
    default: 10_000,
    description: 'per request, from sending to the end of the answer; a timeout is retried',
  }),
});
export type HttpSinkConfig = Static<typeof HttpSinkConfig>;
