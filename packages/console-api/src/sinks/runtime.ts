import type { SinkStatus } from './status.js';

/**
 * What the sinks routes need to manage sinks at runtime (issue 5, data integration managed like
 * EMQX's). console-api may not import sink-core or the sink packages (DESIGN: dependency
 * direction), so the contract lives here and `apps/server/src/sinks/` implements it.
 *
 * As with rules, the routes own persistence (`store.metadata.sinks`): the runtime validates a
 * definition against its type's own schema and mirrors what the store holds into the running
 * sinks. Sinks from the server's config file belong to the runtime alone and are read-only.
 */
export interface SinkRuntime extends SinkStatus {
  /** The sink types this server offers, for the console's forms and the docs. */
  types(): SinkTypeSpec[];
  /** The sinks of the config file (`sinks:`): shown, tested, never changed through the API. */
  fileSinks(): FileSinkSpec[];
  /**
   * Every problem with `spec` against its type's `configSchema` (the common fields' defaults
   * filled first), each named by its JSON-pointer path (`/url`). Empty when it would run.
   */
  validate(spec: SinkSpec): SinkProblem[];
  /**
   * Runs the sink as `spec` says: starts it, replaces the running one, or stops it when
   * `enabled` is false. A replaced or stopped sink drains within its `closeTimeoutMs` first;
   * what it could not send stays in its disk queue, which the replacement sends first, so no
   * accepted row is lost. Rows that rules write meanwhile wait for the replacement. Resolves
   * when the change is in effect; throws (leaving the running sink as it was) if the sink
   * cannot be created.
   */
  apply(spec: SinkSpec): Promise<void>;
  /**
   * Stops the sink (draining within its `closeTimeoutMs`) and deletes its disk queue; rules
   * that still name it then fail their rows with "sink not registered" in their metrics.
   * Resolves with the rows that were still queued and are discarded. A no-op for an unknown id.
   */
  remove(id: string): Promise<{ discarded: number }>;
  /**
   * A connectivity check: creates a client for `spec`, connects and reads its health, then
   * closes it, within `timeoutMs`. Sends no rows. Never throws: a failure is `ok: false` with
   * the peer's own error in `detail`.
   */
  test(spec: Omit<SinkSpec, 'enabled'>, timeoutMs: number): Promise<SinkTestResult>;
}

/** A sink definition as the runtime runs it. */
export interface SinkSpec {
  readonly id: string;
  /** `http`, `influx-line`, `postgres`, `nats-jetstream`, `mqtt-bridge`, `tsdb` … */
  readonly type: string;
  readonly enabled: boolean;
  /** The type's own fields and the common ones (`batch`, `queue`, `retry`, `closeTimeoutMs`). */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One reason a definition cannot run, in the shape the console shows beside the field. */
export interface SinkProblem {
  /** JSON pointer into `config`, e.g. `/url` or `/batch/maxRows`; `` for the whole config. */
  readonly path: string;
  /** What was expected there, e.g. `string matching ^https?://`. */
  readonly message: string;
}

export interface SinkTypeSpec {
  readonly type: string;
  readonly description: string;
  /** The JSON schema of `config` for this type (typebox), common fields included. */
  readonly schema: unknown;
}

export interface FileSinkSpec {
  readonly id: string;
  readonly type: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface SinkTestResult {
  readonly ok: boolean;
  /** How long the check took. */
  readonly ms: number;
  /** `connected`, or the peer's error (`connect ECONNREFUSED 127.0.0.1:8086`). */
  readonly detail: string;
}
