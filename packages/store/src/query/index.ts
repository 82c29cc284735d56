export { QueryErrors } from './errors.js';
export { assertAggregateQuery, assertTrendQuery } from './validate.js';
export { selectLttb, selectMinMax } from './select.js';
export { buildTrend, defaultMaxGap, type NumericSeries, type TrendOptions } from './trend.js';
export { BucketFolder, type Contribution } from './aggregate.js';
