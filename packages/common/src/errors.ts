/**
 * The error catalog. Every error the platform reports to an operator or a program has a stable
 * `WS_ERR_*` code, an HTTP status for the API, and a message template. Code decides on `code`,
 * never on message text.
 */
export interface ErrorDef {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

export class WatershedError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(def: ErrorDef, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WatershedError';
    this.code = def.code;
    this.status = def.status;
    this.details = details;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** Declares one catalog entry; `%s` placeholders in the template are filled in order by `create`. */
export function defineError(code: `WS_ERR_${string}`, status: number, message: string) {
  const def: ErrorDef = { code, status, message };
  return Object.assign(def, {
    create(args: readonly (string | number)[] = [], details?: Record<string, unknown>, cause?: unknown) {
      let i = 0;
      const text = message.replace(/%s/g, () => String(args[i++] ?? ''));
      return new WatershedError(def, text, details, cause === undefined ? undefined : { cause });
    },
    is(err: unknown): err is WatershedError {
      return err instanceof WatershedError && err.code === code;
    },
  });
}

export function isWatershedError(err: unknown): err is WatershedError {
  return err instanceof WatershedError;
}

/** Catalog entries shared by every package; packages add their own next to their code. */
export const Errors = {
  CONFIG_INVALID: defineError('WS_ERR_CONFIG_INVALID', 400, 'invalid configuration in %s:\n%s'),
  CONFIG_READ: defineError('WS_ERR_CONFIG_READ', 500, 'cannot read configuration file %s: %s'),
  NOT_FOUND: defineError('WS_ERR_NOT_FOUND', 404, '%s not found: %s'),
  BAD_REQUEST: defineError('WS_ERR_BAD_REQUEST', 400, '%s'),
  INTERNAL: defineError('WS_ERR_INTERNAL', 500, 'internal error: %s'),
  TIMEOUT: defineError('WS_ERR_TIMEOUT', 504, '%s timed out after %s ms'),
  CLOSED: defineError('WS_ERR_CLOSED', 503, '%s is closed'),
} as const;
