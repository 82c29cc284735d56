import { Type, type Static } from 'typebox';

const IDENT = '[a-z_][a-z0-9_]{0,62}';

/** The PostgreSQL sink's own fields; sink-core adds id, batch, queue, retry (composeSinkSchema). */
export const PostgresSinkConfig = Type.Object({
  connectionString: Type.String({
    pattern: '^postgres(ql)?://',
    description: 'libpq URL of the database, e.g. postgresql://watershed@db:5432/watershed',
  }),
  schema: Type.String({
    pattern: `^${IDENT}$`,
    default: 'watershed',
    description: 'schema of the Watershed store that sample rows go to (created and migrated if missing)',
  }),
  partition: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
    default: 'week',
    description: 'width of the store samples partitions',
  }),
  table: Type.Optional(
    Type.Object(
      {
        name: Type.String({
          pattern: `^(${IDENT}\\.)?${IDENT}$`,
          description: 'existing table, optionally schema-qualified, for rows that are not samples',
        }),
        columns: Type.Record(Type.String({ pattern: `^${IDENT}$` }), Type.String({ minLength: 1 }), {
          minProperties: 1,
          description: 'column ← row field; a missing field is NULL, an object or array is JSON text',
        }),
        key: Type.Optional(
          Type.Array(Type.String({ pattern: `^${IDENT}$` }), {
            minItems: 1,
            description:
              'columns of a unique index: rows already there are skipped (ON CONFLICT DO NOTHING), so a ' +
              'retried batch never duplicates; without it delivery is at-least-once',
          }),
        ),
      },
      { additionalProperties: false },
    ),
  ),
});
export type PostgresSinkConfig = Static<typeof PostgresSinkConfig>;
