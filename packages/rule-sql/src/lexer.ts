import { Lexer, createToken, type IToken, type TokenType } from 'chevrotain';
import { RuleSqlErrors, ruleError } from './errors.js';

/**
 * Tokens of the rule dialect. Keywords are case-insensitive (EMQX and eKuiper both accept
 * `select`/`SELECT`); each keyword uses `longer_alt: Identifier` so `fromage` stays one name.
 */
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Category shared by every keyword, so a keyword can still be a key after a dot (`payload.from`). */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA });

function keyword(word: string): TokenType {
  return createToken({
    name: word.toUpperCase(),
    categories: [Keyword],
    pattern: new RegExp(`${word}(?![A-Za-z0-9_])`, 'i'),
    longer_alt: Identifier,
  });
}

export const Select = keyword('select');
export const From = keyword('from');
export const Where = keyword('where');
export const As = keyword('as');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const In = keyword('in');
export const Case = keyword('case');
export const When = keyword('when');
export const Then = keyword('then');
export const Else = keyword('else');
export const End = keyword('end');
export const Foreach = keyword('foreach');
export const Do = keyword('do');
export const Incase = keyword('incase');
export const Group = keyword('group');
export const By = keyword('by');
export const Having = keyword('having');
export const Div = keyword('div');
export const Mod = keyword('mod');
export const True = keyword('true');
export const False = keyword('false');
export const Null = keyword('null');

/** Single-quoted string; `''` or `\'` escape a quote (SQL and EMQX styles). */
export const SingleQuoted = createToken({ name: 'SingleQuoted', pattern: /'(?:[^'\\]|\\.|'')*'/ });
/** Double-quoted string: topic filters in FROM, a string or quoted key elsewhere. */
export const DoubleQuoted = createToken({ name: 'DoubleQuoted', pattern: /"(?:[^"\\]|\\.|"")*"/ });
export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /0[xX][0-9a-fA-F]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/,
});

export const TopicMatch = createToken({ name: 'TopicMatch', pattern: /=~/ });
export const Le = createToken({ name: 'Le', pattern: /<=/ });
export const Ge = createToken({ name: 'Ge', pattern: />=/ });
export const Ne = createToken({ name: 'Ne', pattern: /!=|<>/ });
export const Eq = createToken({ name: 'Eq', pattern: /=/ });
export const Lt = createToken({ name: 'Lt', pattern: /</ });
export const Gt = createToken({ name: 'Gt', pattern: />/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Keyword,
  LineComment,
  BlockComment,
  Select,
  From,
  Where,
  As,
  And,
  Or,
  Not,
  In,
  Case,
  When,
  Then,
  Else,
  End,
  Foreach,
  Do,
  Incase,
  Group,
  By,
  Having,
  Div,
  Mod,
  True,
  False,
  Null,
  Identifier,
  SingleQuoted,
  DoubleQuoted,
  NumberLit,
  TopicMatch,
  Le,
  Ge,
  Ne,
  Eq,
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
];

const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });

/** Splits rule text into tokens; an unknown character is a WS_ERR_RULE_SQL_SYNTAX at its place. */
export function tokenize(sql: string): IToken[] {
  const result = lexer.tokenize(sql);
  const first = result.errors[0];
  if (first) {
    const line = first.line ?? 1;
    const column = first.column ?? 1;
    const ch = sql.slice(first.offset, first.offset + first.length);
    throw ruleError(RuleSqlErrors.SYNTAX, [line, column, `unexpected character ${JSON.stringify(ch)}`], {
      line,
      column,
      expected: 'a keyword, name, literal or operator',
      hint: ch.startsWith("'") || ch.startsWith('"') ? 'a string is not closed' : undefined,
    });
  }
  return result.tokens;
}

/**
 * Decodes a quoted token's text: strips the quotes, resolves doubled quotes and the escapes
 * `\\ \' \" \n \t \r`. Any other backslash stays as written, so regular expressions such as
 * '^\d+$' reach regex_match unchanged.
 */
export function unquote(image: string): string {
  const q = image[0]!;
  const body = image.slice(1, -1);
  return body.replace(
    q === "'" ? /''|\\([\\'"ntr])/g : /""|\\([\\'"ntr])/g,
    (_m: string, esc: string | undefined) => {
      if (esc === undefined) return q;
      switch (esc) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        default:
          return esc;
      }
    },
  );
}
