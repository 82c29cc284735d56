import { EvalFault } from '../errors.js';
import { arithmetic, isNullish, requireInt, requireNumber } from '../values.js';
import { scalar, type FunctionTable } from './registry.js';

/** Math functions (EMQX "Mathematical functions"); domain errors fail the message, not NaN. */
function unary(name: string, f: (x: number) => number, domain?: (x: number) => boolean) {
  return scalar(1, 1, ['number'], 'number', ([x]) => {
    const n = requireNumber(x, name);
    if (domain && !domain(n)) throw new EvalFault(`${name}(${n}) is undefined`);
    return f(n);
  });
}

export const mathFunctions: FunctionTable = {
  abs: unary('abs', Math.abs),
  ceil: unary('ceil', Math.ceil),
  floor: unary('floor', Math.floor),
  round: scalar(1, 2, ['number', 'number'], 'number', ([x, d]) => {
    const n = requireNumber(x, 'round');
    if (d === undefined) return Math.round(n);
    const p = 10 ** requireInt(d, 'round digits');
    return Math.round(n * p) / p;
  }),
  sqrt: unary('sqrt', Math.sqrt, (x) => x >= 0),
  power: scalar(2, 2, ['number', 'number'], 'number', ([x, y]) =>
    Math.pow(requireNumber(x, 'power'), requireNumber(y, 'power')),
  ),
  exp: unary('exp', Math.exp),
  log: unary('log', Math.log, (x) => x > 0),
  log10: unary('log10', Math.log10, (x) => x > 0),
  log2: unary('log2', Math.log2, (x) => x > 0),
  sin: unary('sin', Math.sin),
  cos: unary('cos', Math.cos),
  tan: unary('tan', Math.tan),
  asin: unary('asin', Math.asin, (x) => x >= -1 && x <= 1),
  acos: unary('acos', Math.acos, (x) => x >= -1 && x <= 1),
  atan: unary('atan', Math.atan),
  sinh: unary('sinh', Math.sinh),
  cosh: unary('cosh', Math.cosh),
  tanh: unary('tanh', Math.tanh),
  mod: scalar(2, 2, ['number', 'number'], 'number', ([x, y]) => arithmetic('mod', x, y)),
  fmod: scalar(2, 2, ['number', 'number'], 'number', ([x, y]) => {
    const b = requireNumber(y, 'fmod');
    if (b === 0) throw new EvalFault('division by zero');
    return requireNumber(x, 'fmod') % b;
  }),
  pi: scalar(0, 0, [], 'number', () => Math.PI),
  sign: unary('sign', Math.sign),
  clamp: scalar(3, 3, ['number'], 'number', ([x, lo, hi]) =>
    Math.min(Math.max(requireNumber(x, 'clamp'), requireNumber(lo, 'clamp')), requireNumber(hi, 'clamp')),
  ),
  greatest: scalar(1, Infinity, ['number'], 'number', (xs) => {
    const ns = xs.filter((x) => !isNullish(x)).map((x) => requireNumber(x, 'greatest'));
    return ns.length === 0 ? null : Math.max(...ns);
  }),
  least: scalar(1, Infinity, ['number'], 'number', (xs) => {
    const ns = xs.filter((x) => !isNullish(x)).map((x) => requireNumber(x, 'least'));
    return ns.length === 0 ? null : Math.min(...ns);
  }),
};
