export type * from './types.js';
export { MetadataErrors } from './errors.js';
