export type * from './types.js';
export type * from './gateway-types.js';
export type * from './alarm-types.js';
export { MetadataErrors } from './errors.js';
