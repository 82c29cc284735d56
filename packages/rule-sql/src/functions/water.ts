import { EvalFault } from '../errors.js';
import { isNullish, requireNumber, requireString } from '../values.js';
import { scalar, type FunctionTable, type LiteralArg } from './registry.js';

/**
 * Unit conversions utilities meet daily: flow, pressure (including metres of water head, the
 * unit network models and pump curves use) and volume. Factors convert to one base unit.
 */
const FLOW: Readonly<Record<string, number>> = {
  'm3/s': 1,
  'm3/h': 1 / 3600,
  'm3/d': 1 / 86400,
  'L/s': 1e-3,
  'L/min': 1e-3 / 60,
  'L/h': 1e-3 / 3600,
  'ML/d': 1e3 / 86400,
  gpm: 3.785411784e-3 / 60,
  MGD: 3785.411784 / 86400,
};

/** Pressure in pascal; `m` is metres of water column at 4 °C (ρg = 9806.65 Pa/m). */
const PRESSURE: Readonly<Record<string, number>> = {
  Pa: 1,
  kPa: 1e3,
  MPa: 1e6,
  bar: 1e5,
  mbar: 100,
  psi: 6894.757293168,
  m: 9806.65,
  mH2O: 9806.65,
  atm: 101325,
};

const VOLUME: Readonly<Record<string, number>> = {
  m3: 1,
  L: 1e-3,
  mL: 1e-6,
  ML: 1e3,
  gal: 3.785411784e-3,
  ft3: 0.028316846592,
};

function converter(name: string, table: Readonly<Record<string, number>>) {
  const units = Object.keys(table).join(', ');
  const validate = (lits: readonly LiteralArg[]): string | undefined => {
    for (const i of [1, 2]) {
      const u = lits[i];
      if (typeof u === 'string' && table[u] === undefined)
        return `unknown unit "${u}", expected one of ${units}`;
    }
    return undefined;
  };
  return scalar(
    3,
    3,
    ['number', 'string', 'string'],
    'number',
    ([x, from, to]) => {
      if (isNullish(x)) return null;
      const f = table[requireString(from, name)];
      const t = table[requireString(to, name)];
      if (f === undefined || t === undefined)
        throw new EvalFault(`${name}: unknown unit, expected one of ${units}`);
      return (requireNumber(x, name) * f) / t;
    },
    { validate, doc: `${name}(x, from, to) with units ${units}` },
  );
}

export const waterFunctions: FunctionTable = {
  convert_flow: converter('convert_flow', FLOW),
  convert_pressure: converter('convert_pressure', PRESSURE),
  convert_volume: converter('convert_volume', VOLUME),
};
