import { aggregateFunctions } from '../aggregates.js';
import { analyticFunctions } from '../analytic.js';
import { collectionFunctions } from './collections.js';
import { convertFunctions } from './convert.js';
import { encodingFunctions } from './encoding.js';
import { mathFunctions } from './math.js';
import type { FunctionTable } from './registry.js';
import { stringFunctions } from './string.js';
import { timeFunctions } from './time.js';
import { waterFunctions } from './water.js';

/** Every builtin row function, in the one table the checker validates calls against. */
export const scalarFunctions: FunctionTable = {
  ...mathFunctions,
  ...stringFunctions,
  ...convertFunctions,
  ...collectionFunctions,
  ...encodingFunctions,
  ...timeFunctions,
  ...waterFunctions,
};

export { aggregateFunctions, analyticFunctions };
