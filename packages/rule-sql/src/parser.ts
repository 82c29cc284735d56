import {
  EOF,
  EmbeddedActionsParser,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { BinaryOp, Expr, ForeachClause, RuleAst, SelectField, SourceRef } from './ast.js';
import { RuleSqlErrors, ruleError, type SourcePos } from './errors.js';
import * as T from './lexer.js';

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
const messages: IParserErrorMessageProvider = {
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

const COMPARE: ReadonlyMap<TokenType, BinaryOp> = new Map([
  [T.Eq, '='],
  [T.Ne, '!='],
  [T.Lt, '<'],
  [T.Le, '<='],
  [T.Gt, '>'],
  [T.Ge, '>='],
  [T.TopicMatch, '=~'],
] as const);

function posOf(tok: IToken): SourcePos {
  return { line: tok.startLine ?? 1, column: tok.startColumn ?? 1 };
}

/**
 * Grammar of one rule statement (EMQX: exactly one SELECT or FOREACH per rule). Precedence from
 * loosest: OR, AND, NOT, comparison/IN, + -, * / div mod, unary minus, postfix `.key` `[i]`.
 * Built once: chevrotain's self-analysis is costly and the instance holds no state between parses.
 */
class RuleParser extends EmbeddedActionsParser {
  #source = '';

  constructor() {
    super(T.allTokens, { errorMessageProvider: messages, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  parse(sql: string, tokens: IToken[]): RuleAst {
    this.#source = sql;
    this.input = tokens;
    return this.statement();
  }

  statement = this.RULE('statement', (): RuleAst => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.selectStmt) },
      { ALT: () => this.SUBRULE(this.foreachStmt) },
    ]);
  });

  selectStmt = this.RULE('selectStmt', (): RuleAst => {
    this.CONSUME(T.Select);
    const fields = this.SUBRULE(this.fieldList);
    const sources = this.SUBRULE(this.fromClause);
    let where: Expr | undefined;
    let having: Expr | undefined;
    const groupBy: Expr[] = [];
    this.OPTION(() => {
      this.CONSUME(T.Where);
      where = this.SUBRULE(this.expr);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Group);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => groupBy.push(this.SUBRULE2(this.expr)) });
    });
    this.OPTION3(() => {
      this.CONSUME(T.Having);
      having = this.SUBRULE3(this.expr);
    });
    return { kind: 'select', fields, foreach: undefined, sources, where, groupBy, having };
  });

  foreachStmt = this.RULE('foreachStmt', (): RuleAst => {
    const start = this.CONSUME(T.Foreach);
    const expr = this.SUBRULE(this.expr);
    let alias = 'item';
    let fields: SelectField[] = [];
    let incase: Expr | undefined;
    let where: Expr | undefined;
    this.OPTION(() => {
      this.CONSUME(T.As);
      alias = this.CONSUME(T.Identifier).image;
    });
    this.OPTION2(() => {
      this.CONSUME(T.Do);
      fields = this.SUBRULE(this.fieldList);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Incase);
      incase = this.SUBRULE2(this.expr);
    });
    const sources = this.SUBRULE(this.fromClause);
    this.OPTION4(() => {
      this.CONSUME(T.Where);
      where = this.SUBRULE3(this.expr);
    });
    const foreach: ForeachClause = { pos: posOf(start), expr, alias, fields, incase };
    return { kind: 'foreach', fields: [], foreach, sources, where, groupBy: [], having: undefined };
  });

  fromClause = this.RULE('fromClause', (): SourceRef[] => {
    const sources: SourceRef[] = [];
    this.CONSUME(T.From);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const tok = this.OR([
          { ALT: () => this.CONSUME(T.DoubleQuoted) },
          { ALT: () => this.CONSUME(T.SingleQuoted) },
        ]);
        this.ACTION(() => sources.push({ pos: posOf(tok), topic: T.unquote(tok.image) }));
      },
    });
    return sources;
  });

  fieldList = this.RULE('fieldList', (): SelectField[] => {
    const fields: SelectField[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => fields.push(this.SUBRULE(this.field)) });
    return fields;
  });

  field = this.RULE('field', (): SelectField => {
    const first = this.LA(1);
    return this.OR([
      {
        ALT: () => {
          const tok = this.CONSUME(T.Star);
          return {
            pos: posOf(tok),
            expr: { kind: 'star', pos: posOf(tok) },
            alias: undefined,
            text: '*',
          } as const;
        },
      },
      {
        ALT: () => {
          const expr = this.SUBRULE(this.expr);
          const text = this.ACTION(() => this.#textFrom(first));
          let alias: string[] | undefined;
          this.OPTION(() => {
            this.CONSUME(T.As);
            alias = [];
            this.AT_LEAST_ONE_SEP({ SEP: T.Dot, DEF: () => alias!.push(this.SUBRULE(this.key)) });
          });
          return { pos: posOf(first), expr, alias, text };
        },
      },
    ]);
  });

  /** A name after `.` or `AS`: plain, keyword-named (`payload.from`) or quoted (`payload.'a b'`). */
  key = this.RULE('key', (): string => {
    return this.OR([
      { ALT: () => this.CONSUME(T.Identifier).image },
      { ALT: () => this.CONSUME(T.Keyword).image },
      {
        ALT: () => {
          const tok = this.CONSUME(T.SingleQuoted);
          return this.ACTION(() => T.unquote(tok.image));
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME2(T.DoubleQuoted);
          return this.ACTION(() => T.unquote(tok.image));
        },
      },
    ]);
  });

  expr = this.RULE('expr', (): Expr => this.SUBRULE(this.orExpr));

  orExpr = this.RULE('orExpr', (): Expr => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const op = this.CONSUME(T.Or);
      const right = this.SUBRULE2(this.andExpr);
      left = { kind: 'binary', op: 'or', left, right, pos: posOf(op) };
    });
    return left;
  });

  andExpr = this.RULE('andExpr', (): Expr => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const op = this.CONSUME(T.And);
      const right = this.SUBRULE2(this.notExpr);
      left = { kind: 'binary', op: 'and', left, right, pos: posOf(op) };
    });
    return left;
  });

  notExpr = this.RULE('notExpr', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const tok = this.CONSUME(T.Not);
          const operand = this.SUBRULE(this.notExpr);
          return { kind: 'unary', op: 'not', operand, pos: posOf(tok) } as const;
        },
      },
      { ALT: () => this.SUBRULE(this.compareExpr) },
    ]);
  });

  compareExpr = this.RULE('compareExpr', (): Expr => {
    let left = this.SUBRULE(this.addExpr);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            const tok = this.OR2([
              { ALT: () => this.CONSUME(T.Eq) },
              { ALT: () => this.CONSUME(T.Ne) },
              { ALT: () => this.CONSUME(T.Lt) },
              { ALT: () => this.CONSUME(T.Le) },
              { ALT: () => this.CONSUME(T.Gt) },
              { ALT: () => this.CONSUME(T.Ge) },
              { ALT: () => this.CONSUME(T.TopicMatch) },
            ]);
            const right = this.SUBRULE2(this.addExpr);
            left = { kind: 'binary', op: COMPARE.get(tok.tokenType) ?? '=', left, right, pos: posOf(tok) };
          },
        },
        {
          ALT: () => {
            let negated = false;
            this.OPTION2(() => {
              this.CONSUME(T.Not);
              negated = true;
            });
            const tok = this.CONSUME(T.In);
            this.CONSUME(T.LParen);
            const list: Expr[] = [];
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => list.push(this.SUBRULE(this.expr)) });
            this.CONSUME(T.RParen);
            left = { kind: 'in', negated, value: left, list, pos: posOf(tok) };
          },
        },
      ]);
    });
    return left;
  });

  addExpr = this.RULE('addExpr', (): Expr => {
    let left = this.SUBRULE(this.mulExpr);
    this.MANY(() => {
      const tok = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.mulExpr);
      left = { kind: 'binary', op: tok.tokenType === T.Plus ? '+' : '-', left, right, pos: posOf(tok) };
    });
    return left;
  });

  mulExpr = this.RULE('mulExpr', (): Expr => {
    let left = this.SUBRULE(this.unaryExpr);
    this.MANY(() => {
      const tok = this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Div) },
        { ALT: () => this.CONSUME(T.Mod) },
      ]);
      const right = this.SUBRULE2(this.unaryExpr);
      const op: BinaryOp =
        tok.tokenType === T.Star
          ? '*'
          : tok.tokenType === T.Slash
            ? '/'
            : tok.tokenType === T.Div
              ? 'div'
              : 'mod';
      left = { kind: 'binary', op, left, right, pos: posOf(tok) };
    });
    return left;
  });

  unaryExpr = this.RULE('unaryExpr', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const tok = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unaryExpr);
          return this.ACTION(() =>
            operand.kind === 'literal' && typeof operand.value === 'number'
              ? { kind: 'literal', value: -operand.value, pos: posOf(tok) }
              : { kind: 'unary', op: 'neg', operand, pos: posOf(tok) },
          );
        },
      },
      { ALT: () => this.SUBRULE(this.postfixExpr) },
    ]);
  });

  postfixExpr = this.RULE('postfixExpr', (): Expr => {
    let object = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            const tok = this.CONSUME(T.Dot);
            const key = this.SUBRULE(this.key);
            object = { kind: 'member', object, key, pos: posOf(tok) };
          },
        },
        {
          ALT: () => {
            const tok = this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expr);
            this.CONSUME(T.RBracket);
            object = { kind: 'index', object, index, pos: posOf(tok) };
          },
        },
      ]);
    });
    return object;
  });

  primary = this.RULE('primary', (): Expr => {
    return this.OR([
      {
        ALT: () => {
          const tok = this.CONSUME(T.NumberLit);
          return { kind: 'literal', value: this.ACTION(() => Number(tok.image)), pos: posOf(tok) } as const;
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.SingleQuoted);
          return {
            kind: 'literal',
            value: this.ACTION(() => T.unquote(tok.image)),
            pos: posOf(tok),
          } as const;
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.DoubleQuoted);
          return {
            kind: 'literal',
            value: this.ACTION(() => T.unquote(tok.image)),
            pos: posOf(tok),
          } as const;
        },
      },
      { ALT: () => ({ kind: 'literal', value: true, pos: posOf(this.CONSUME(T.True)) }) as const },
      { ALT: () => ({ kind: 'literal', value: false, pos: posOf(this.CONSUME(T.False)) }) as const },
      { ALT: () => ({ kind: 'literal', value: null, pos: posOf(this.CONSUME(T.Null)) }) as const },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
          return inner;
        },
      },
      { ALT: () => this.SUBRULE(this.caseExpr) },
      { ALT: () => this.SUBRULE(this.nameOrCall) },
      // `mod(a, b)` and `div(a, b)` are functions too, though their names are operator keywords.
      {
        ALT: () => {
          const tok = this.OR2([{ ALT: () => this.CONSUME(T.Mod) }, { ALT: () => this.CONSUME(T.Div) }]);
          const args = this.SUBRULE(this.callArgs);
          return {
            kind: 'call',
            name: this.ACTION(() => tok.image.toLowerCase()),
            args,
            pos: posOf(tok),
          } as const;
        },
      },
    ]);
  });

  nameOrCall = this.RULE('nameOrCall', (): Expr => {
    const tok = this.CONSUME(T.Identifier);
    let args: Expr[] | undefined;
    this.OPTION(() => {
      args = this.SUBRULE(this.callArgs);
    });
    return this.ACTION((): Expr =>
      args === undefined
        ? { kind: 'ident', name: tok.image, pos: posOf(tok) }
        : { kind: 'call', name: tok.image.toLowerCase(), args, pos: posOf(tok) },
    );
  });

  callArgs = this.RULE('callArgs', (): Expr[] => {
    const args: Expr[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            const tok = this.CONSUME(T.Star);
            args.push({ kind: 'star', pos: posOf(tok) });
          },
        },
        { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.expr)) }) },
      ]);
    });
    this.CONSUME(T.RParen);
    return args;
  });

  caseExpr = this.RULE('caseExpr', (): Expr => {
    const tok = this.CONSUME(T.Case);
    let subject: Expr | undefined;
    let otherwise: Expr | undefined;
    const whens: { when: Expr; then: Expr }[] = [];
    this.OPTION(() => {
      subject = this.SUBRULE(this.expr);
    });
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      const when = this.SUBRULE2(this.expr);
      this.CONSUME(T.Then);
      const then = this.SUBRULE3(this.expr);
      whens.push({ when, then });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Else);
      otherwise = this.SUBRULE4(this.expr);
    });
    this.CONSUME(T.End);
    return { kind: 'case', subject, whens, otherwise, pos: posOf(tok) };
  });

  /** Source text from `first` up to (not including) the next unconsumed token. */
  #textFrom(first: IToken): string {
    const next = this.LA(1);
    const end =
      next.tokenType === EOF || Number.isNaN(next.startOffset) ? this.#source.length : next.startOffset;
    return this.#source.slice(first.startOffset, end).trim();
  }
}

let shared: RuleParser | undefined;

function endPos(sql: string): SourcePos {
  const lines = sql.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Parses one rule; a syntax error is a WS_ERR_RULE_SQL_SYNTAX with line, column and what was expected. */
export function parseRule(sql: string): RuleAst {
  const tokens = T.tokenize(sql);
  shared ??= new RuleParser();
  const ast = shared.parse(sql, tokens);
  const err = shared.errors[0];
  if (err) {
    const tok = err.token;
    const pos = tok.tokenType === EOF || Number.isNaN(tok.startOffset) ? endPos(sql) : posOf(tok);
    const { expected, found } = JSON.parse(err.message) as { expected: string; found: string };
    throw ruleError(RuleSqlErrors.SYNTAX, [pos.line, pos.column, `expected ${expected} but found ${found}`], {
      ...pos,
      expected,
      hint: syntaxHint(expected, found),
    });
  }
  return ast;
}

function syntaxHint(expected: string, found: string): string | undefined {
  if (expected.includes('quoted string') && found !== 'end of rule' && !found.startsWith('"\\"'))
    return 'topics in FROM are quoted: FROM "t/#"';
  if (expected === 'FROM' && found === 'end of rule') return 'every rule needs FROM "topic/filter"';
  return undefined;
}
