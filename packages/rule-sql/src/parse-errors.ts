import {
  EOF,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import { RuleSqlErrors, ruleError, type RuleSqlError, type SourcePos } from './errors.js';

/**
 * Syntax error reporting: chevrotain's messages name internal token types; ours name what an
 * author wrote (`FROM`, "a quoted string", "an expression") and carry the place.
 */
/** How a token is named in an error message: keywords as written, classes in words. */
function describeType(t: TokenType): string {
  switch (t.name) {
    case 'Identifier':
      return 'a name';
    case 'NumberLit':
      return 'a number';
    case 'SingleQuoted':
    case 'DoubleQuoted':
      return 'a quoted string';
    case 'Keyword':
      return 'a keyword';
    case 'EOF':
      return 'end of rule';
    default:
      break;
  }
  const src = typeof t.PATTERN === 'string' ? t.PATTERN : t.PATTERN instanceof RegExp ? t.PATTERN.source : '';
  if (/^[A-Z]+$/.test(t.name)) return t.name;
  return `"${src.replace(/\\/g, '').split('|')[0] ?? t.name}"`;
}

function describeToken(tok: IToken): string {
  return tok.tokenType === EOF ? 'end of rule' : JSON.stringify(tok.image);
}

function uniq(xs: string[]): string {
  const u = [...new Set(xs)];
  // The full FIRST set of an expression is a dozen tokens; name the concept instead.
  if (u.includes('a name') && u.includes('a number')) return 'an expression';
  return u.length <= 1 ? (u[0] ?? 'something else') : `one of ${u.join(', ')}`;
}

/** Messages are JSON so the parse wrapper can lift `expected`/`found` into the error's fields. */
export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) =>
    JSON.stringify({ expected: describeType(expected), found: describeToken(actual) }),
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    JSON.stringify({ expected: 'end of rule', found: describeToken(firstRedundant) }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) =>
    JSON.stringify({
      expected: uniq(
        expectedPathsPerAlt.flat().map((path) => (path[0] ? describeType(path[0]) : 'end of rule')),
      ),
      found: describeToken(actual[0]!),
    }),
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) =>
    JSON.stringify({
      expected: uniq(expectedIterationPaths.map((path) => (path[0] ? describeType(path[0]) : 'end of rule'))),
      found: describeToken(actual[0]!),
    }),
};

export function posOf(tok: IToken): SourcePos {
  return { line: tok.startLine ?? 1, column: tok.startColumn ?? 1 };
}

function endPos(sql: string): SourcePos {
  const lines = sql.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Converts chevrotain's first recognition error into a WS_ERR_RULE_SQL_SYNTAX. */
export function syntaxError(err: IRecognitionException, sql: string): RuleSqlError {
  const tok = err.token;
  const pos = tok.tokenType === EOF || Number.isNaN(tok.startOffset) ? endPos(sql) : posOf(tok);
  const { expected, found } = JSON.parse(err.message) as { expected: string; found: string };
  return ruleError(RuleSqlErrors.SYNTAX, [pos.line, pos.column, `expected ${expected} but found ${found}`], {
    ...pos,
    expected,
    hint: syntaxHint(expected, found),
  });
}

function syntaxHint(expected: string, found: string): string | undefined {
  if (expected.includes('quoted string') && found !== 'end of rule' && !found.startsWith('"\\"'))
    return 'topics in FROM are quoted: FROM "t/#"';
  if (expected === 'FROM' && found === 'end of rule') return 'every rule needs FROM "topic/filter"';
  return undefined;
}
