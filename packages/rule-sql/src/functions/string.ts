import { EvalFault } from '../errors.js';
import { isNullish, requireInt, requireString, show } from '../values.js';
import { toStr } from './convert.js';
import { scalar, type FunctionTable, type LiteralArg } from './registry.js';

/** String functions, with EMQX's conventions (0-based substr, split drops empty parts). */
function oneOf(position: number, allowed: readonly string[]) {
  return (lits: readonly LiteralArg[]): string | undefined => {
    const v = lits[position];
    return typeof v === 'string' && !allowed.includes(v)
      ? `expected one of ${allowed.join(', ')}, got "${v}"`
      : undefined;
  };
}

function regex(pattern: unknown, flags: string, what: string): RegExp {
  try {
    return new RegExp(requireString(pattern, what), flags);
  } catch (err) {
    throw new EvalFault(`${what}: invalid regular expression ${show(pattern)}: ${(err as Error).message}`);
  }
}

function validRegex(position: number) {
  return (lits: readonly LiteralArg[]): string | undefined => {
    const v = lits[position];
    if (typeof v !== 'string') return undefined;
    try {
      new RegExp(v);
      return undefined;
    } catch (err) {
      return `invalid regular expression: ${(err as Error).message}`;
    }
  };
}

/** Erlang io_lib directives EMQX's sprintf accepts: ~s ~p ~w (value), ~n (newline), ~~. */
function sprintf(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/~([spwn~])/g, (_m, d: string) => {
    if (d === '~') return '~';
    if (d === 'n') return '\n';
    if (i >= args.length) throw new EvalFault(`sprintf: format ${show(fmt)} needs more arguments`);
    const v = args[i++];
    return d === 's' ? toStr(v) : JSON.stringify(v ?? null);
  });
}

export const stringFunctions: FunctionTable = {
  lower: scalar(1, 1, ['string'], 'string', ([s]) => requireString(s, 'lower').toLowerCase()),
  upper: scalar(1, 1, ['string'], 'string', ([s]) => requireString(s, 'upper').toUpperCase()),
  trim: scalar(1, 1, ['string'], 'string', ([s]) => requireString(s, 'trim').trim()),
  ltrim: scalar(1, 1, ['string'], 'string', ([s]) => requireString(s, 'ltrim').trimStart()),
  rtrim: scalar(1, 1, ['string'], 'string', ([s]) => requireString(s, 'rtrim').trimEnd()),
  reverse: scalar(1, 1, ['string'], 'string', ([s]) => [...requireString(s, 'reverse')].reverse().join('')),
  concat: scalar(2, Infinity, ['any'], 'string', (xs) =>
    xs.map((x) => (isNullish(x) ? '' : toStr(x))).join(''),
  ),
  strlen: scalar(1, 1, ['string'], 'number', ([s]) => [...requireString(s, 'strlen')].length),
  substr: scalar(2, 3, ['string', 'number', 'number'], 'string', ([s, start, len]) => {
    const chars = [...requireString(s, 'substr')];
    const from = requireInt(start, 'substr start');
    const to = len === undefined ? chars.length : from + requireInt(len, 'substr length');
    return chars.slice(from, to).join('');
  }),
  split: scalar(
    2,
    3,
    ['string', 'string', 'string'],
    'array',
    ([s, sep, mode]) => {
      const str = requireString(s, 'split');
      const sp = requireString(sep, 'split separator');
      if (mode === 'leading' || mode === 'trailing') {
        const i = mode === 'leading' ? str.indexOf(sp) : str.lastIndexOf(sp);
        return i < 0 ? [str] : [str.slice(0, i), str.slice(i + sp.length)].filter((p) => p !== '');
      }
      const parts = str.split(sp);
      return mode === 'notrim' ? parts : parts.filter((p) => p !== '');
    },
    { validate: oneOf(2, ['leading', 'trailing', 'notrim']) },
  ),
  replace: scalar(
    3,
    4,
    ['string', 'string', 'string', 'string'],
    'string',
    ([s, search, rep, mode]) => {
      const str = requireString(s, 'replace');
      const from = requireString(search, 'replace search');
      const to = requireString(rep, 'replace replacement');
      if (mode === 'leading') return str.replace(from, to);
      if (mode === 'trailing') {
        const i = str.lastIndexOf(from);
        return i < 0 ? str : str.slice(0, i) + to + str.slice(i + from.length);
      }
      return from === '' ? str : str.split(from).join(to);
    },
    { validate: oneOf(3, ['all', 'leading', 'trailing']) },
  ),
  regex_match: scalar(
    2,
    2,
    ['string', 'string'],
    'bool',
    ([s, re]) => regex(re, 'u', 'regex_match').test(requireString(s, 'regex_match')),
    {
      validate: validRegex(1),
    },
  ),
  regex_replace: scalar(
    3,
    3,
    ['string', 'string', 'string'],
    'string',
    ([s, re, rep]) =>
      requireString(s, 'regex_replace').replace(
        regex(re, 'gu', 'regex_replace'),
        requireString(rep, 'regex_replace'),
      ),
    { validate: validRegex(1) },
  ),
  regex_extract: scalar(
    2,
    2,
    ['string', 'string'],
    'array',
    ([s, re]) => {
      const m = regex(re, 'u', 'regex_extract').exec(requireString(s, 'regex_extract'));
      return m ? (m.length > 1 ? m.slice(1) : [m[0]]) : [];
    },
    { validate: validRegex(1) },
  ),
  sprintf: scalar(1, Infinity, ['string', 'any'], 'string', ([fmt, ...rest]) =>
    sprintf(requireString(fmt, 'sprintf'), rest),
  ),
  pad: scalar(
    2,
    4,
    ['string', 'number', 'string', 'string'],
    'string',
    ([s, n, dir, ch]) => {
      const str = requireString(s, 'pad');
      const width = requireInt(n, 'pad length');
      const fill = ch === undefined ? ' ' : requireString(ch, 'pad char');
      if (fill.length === 0) throw new EvalFault('pad char must not be empty');
      if (dir === 'leading') return str.padStart(width, fill);
      if (dir === 'both') {
        const left = str.length + Math.floor((width - str.length) / 2);
        return str.padStart(left, fill).padEnd(width, fill);
      }
      return str.padEnd(width, fill);
    },
    { validate: oneOf(2, ['trailing', 'leading', 'both']) },
  ),
  /** EMQX: the rest of `s` from the first (or last) occurrence of `sub`, '' when absent. */
  find: scalar(
    2,
    3,
    ['string', 'string', 'string'],
    'string',
    ([s, sub, dir]) => {
      const str = requireString(s, 'find');
      const needle = requireString(sub, 'find');
      const i = dir === 'trailing' ? str.lastIndexOf(needle) : str.indexOf(needle);
      return i < 0 ? '' : str.slice(i);
    },
    { validate: oneOf(2, ['leading', 'trailing']) },
  ),
  join_to_string: scalar(2, 2, ['string', 'array'], 'string', ([sep, arr]) => {
    if (!Array.isArray(arr)) throw new EvalFault(`join_to_string expects an array, got ${show(arr)}`);
    return arr.map((x) => toStr(x)).join(requireString(sep, 'join_to_string'));
  }),
  starts_with: scalar(2, 2, ['string', 'string'], 'bool', ([s, p]) =>
    requireString(s, 'starts_with').startsWith(requireString(p, 'starts_with')),
  ),
  ends_with: scalar(2, 2, ['string', 'string'], 'bool', ([s, p]) =>
    requireString(s, 'ends_with').endsWith(requireString(p, 'ends_with')),
  ),
};
