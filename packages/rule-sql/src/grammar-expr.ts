import { EmbeddedActionsParser, type IParserConfig, type TokenType } from 'chevrotain';
import type { BinaryOp, Expr } from './ast.js';
import * as T from './lexer.js';
import { posOf } from './parse-errors.js';

const COMPARE: ReadonlyMap<TokenType, BinaryOp> = new Map([
  [T.Eq, '='],
  [T.Ne, '!='],
  [T.Lt, '<'],
  [T.Le, '<='],
  [T.Gt, '>'],
  [T.Ge, '>='],
  [T.TopicMatch, '=~'],
] as const);

/**
 * Expression grammar. Precedence from loosest: OR, AND, NOT, comparison/IN, + -, * / div mod,
 * unary minus, postfix `.key` `[i]`. Statements extend this class (see parser.ts).
 */
export class ExprParser extends EmbeddedActionsParser {
  constructor(config: IParserConfig) {
    super(T.allTokens, config);
  }

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
}
