/** Where a rule failed to install: `rules.{index}` plus the error (a WS_ERR_EDGE_RULE_INVALID). */
export class RuleBuildError extends Error {
  readonly path: string;
  readonly error: Error;
  constructor(path: string, error: Error) {
    super(`${path}: ${error.message}`, { cause: error });
    this.name = 'RuleBuildError';
    this.path = path;
    this.error = error;
  }
}
