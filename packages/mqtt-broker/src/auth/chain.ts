import type { Logger } from '@watershed/common';
import type { AuthRequest, AuthSource, AuthVerdict } from './source.js';

/** The chain's decision: a decisive verdict and the source that gave it. */
export type ChainOutcome = Exclude<AuthVerdict, { result: 'ignore' }> & {
  /** The deciding source's kind, or "anonymous" when every source ignored the client. */
  readonly source: string;
};

/**
 * A listener's authentication chain: the sources are asked in order and the first decisive
 * answer (`allow` or `deny`) wins, as in EMQX's authentication chain. When every source ignores
 * the client, the listener's anonymous rule decides: a client that presented no credentials is
 * allowed only where the listener allows anonymous access; one that presented a username or
 * password nobody vouched for is refused as bad credentials — presenting credentials must never
 * be weaker than presenting none.
 */
export class AuthChain {
  readonly #sources: readonly AuthSource[];
  readonly #allowAnonymous: boolean;
  readonly #logger: Logger;

  constructor(sources: readonly AuthSource[], allowAnonymous: boolean, logger: Logger) {
    this.#sources = sources;
    this.#allowAnonymous = allowAnonymous;
    this.#logger = logger;
  }

  get sources(): readonly AuthSource[] {
    return this.#sources;
  }

  async authenticate(req: AuthRequest): Promise<ChainOutcome> {
    for (const source of this.#sources) {
      let verdict: AuthVerdict;
      try {
        verdict = await source.authenticate(req);
      } catch (err) {
        // A source that cannot answer must not let the client through on a guess.
        this.#logger.warn(
          { err, source: source.kind, clientId: req.clientId },
          'authentication source failed',
        );
        return {
          result: 'deny',
          reason: 'not_authorized',
          detail: `${source.kind} source failed`,
          source: source.kind,
        };
      }
      if (verdict.result !== 'ignore') return { ...verdict, source: source.kind };
    }
    if (req.username !== undefined || req.password !== undefined)
      return {
        result: 'deny',
        reason: 'bad_credentials',
        detail: 'no source accepted the credentials',
        source: 'anonymous',
      };
    if (this.#allowAnonymous) return { result: 'allow', source: 'anonymous' };
    return {
      result: 'deny',
      reason: 'not_authorized',
      detail: 'anonymous access is off',
      source: 'anonymous',
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.#sources.map((s) => s.close?.() ?? Promise.resolve()));
  }
}
