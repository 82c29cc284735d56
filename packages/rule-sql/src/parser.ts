import { EOF, type IToken } from 'chevrotain';
import type { Expr, ForeachClause, RuleAst, SelectField, SourceRef } from './ast.js';
import { ExprParser } from './grammar-expr.js';
import * as T from './lexer.js';
import { messages, posOf, syntaxError } from './parse-errors.js';

/**
 * Grammar of one rule statement (EMQX: exactly one SELECT or FOREACH per rule).
 * Built once: chevrotain's self-analysis is costly and the instance holds no state between parses.
 */
class RuleParser extends ExprParser {
  #source = '';

  constructor() {
    super({ errorMessageProvider: messages, maxLookahead: 3 });
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

  /** Source text from `first` up to (not including) the next unconsumed token. */
  #textFrom(first: IToken): string {
    const next = this.LA(1);
    const end =
      next.tokenType === EOF || Number.isNaN(next.startOffset) ? this.#source.length : next.startOffset;
    return this.#source.slice(first.startOffset, end).trim();
  }
}

let shared: RuleParser | undefined;

/** Parses one rule; a syntax error is a WS_ERR_RULE_SQL_SYNTAX with line, column and what was expected. */
export function parseRule(sql: string): RuleAst {
  const tokens = T.tokenize(sql);
  shared ??= new RuleParser();
  const ast = shared.parse(sql, tokens);
  const err = shared.errors[0];
  if (err) throw syntaxError(err, sql);
  return ast;
}
