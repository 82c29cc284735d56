/**
 * Min/max-preserving downsampling in the database (the M4 idea: per pixel column keep the first,
 * lowest, highest and last sample), so a trend of a day of 1-s samples moves ~1,000 rows to the
 * client instead of 86,400, and still shows every peak and trough. Samples taking part are
 * numbers and booleans, NaN left out; gaps stay gaps (an empty column contributes nothing).
 *
 * Parameters: $1 point id, $2 from, $3 to (inclusive), $4 columns (points ÷ 4, at least 1).
 */
export function downsampleSql(schema: string): string {
  return `
    WITH s AS (
      SELECT ts, num, (ts - $2::int8) * $4::int8 / ($3::int8 - $2::int8 + 1) AS col
        FROM ${schema}.samples
       WHERE point_id = $1 AND ts >= $2 AND ts <= $3 AND (q >> 2) <= 1 AND num <> 'NaN'::float8
    ), g AS (
      SELECT min(ts) AS first, max(ts) AS last,
             (array_agg(ts ORDER BY num, ts))[1] AS lo, (array_agg(ts ORDER BY num DESC, ts))[1] AS hi
        FROM s GROUP BY col
    )
    SELECT ts, num, txt, q, reason FROM ${schema}.samples
     WHERE point_id = $1 AND ts IN (SELECT unnest(ARRAY[first, lo, hi, last]) FROM g)
     ORDER BY ts`;
}
