import type { Clock, Logger, Registry } from '@watershed/common';
import type { Alarm } from '@watershed/model';
import { SinkRegistry, type SinkAlarm, type SinkType } from '@watershed/sink-core';
import { httpSink } from '@watershed/sink-http';
import { influxLineSink } from '@watershed/sink-influx-line';
import { mqttBridgeSink } from '@watershed/sink-mqtt-bridge';
import { natsJetStreamSink } from '@watershed/sink-nats-jetstream';
import { postgresSink } from '@watershed/sink-postgres';
import type { Store } from '@watershed/store';
import { ServerSinkRuntime } from './sinks/runtime.js';
import { tsdbSink } from './sinks/tsdb.js';

export { ServerSinkRuntime } from './sinks/runtime.js';

/**
 * The sink types the server offers: the ONE list (STYLE: modules registered in one explicit
 * list). Add a sink package here and nowhere else; config checking, the registry and the docs
 * all read this list.
 */
export function serverSinkTypes(ctx: { store?: Store; clock: Clock }): SinkType<never>[] {
  return [
    httpSink,
    influxLineSink,
    mqttBridgeSink,
    natsJetStreamSink,
    postgresSink,
    tsdbSink(ctx.store, ctx.clock),
  ] as SinkType<never>[];
}

/** A registry with every server sink type registered; `metrics` gets `watershed_sink_*`. */
export function serverSinkRegistry(
  ctx: { store?: Store; clock: Clock },
  opts: ConstructorParameters<typeof SinkRegistry>[0] = {},
): SinkRegistry {
  const registry = new SinkRegistry(opts);
  for (const t of serverSinkTypes(ctx)) registry.register(t);
  return registry;
}

/**
 * The server's sinks, managed at runtime (issue 5): the config file's `sinks:` (read-only) and
 * those made through the console, kept in `store.metadata.sinks`. Sink alarms go to the log in
 * the platform's Alarm shape (and to /healthz and watershed_sink_alarm) until the server has an
 * alarm service. Close it after the rules (no more rows) and before the store (the tsdb sink
 * drains into it).
 */
export function startSinkRuntime(opts: {
  store: Store;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  fileSinks: readonly unknown[];
  metrics?: Registry;
}): Promise<ServerSinkRuntime> {
  const { store, clock, logger } = opts;
  return ServerSinkRuntime.start(
    {
      types: serverSinkTypes({ store, clock }),
      definitions: store.metadata.sinks,
      // The rule engine's built-in sink (server.ts): a sink of that id would shadow it.
      reservedIds: ['store'],
      ...(opts.metrics && { metrics: opts.metrics }),
      deps: {
        clock,
        logger,
        dataDir: opts.dataDir,
        onAlarm: (a) => {
          const alarm = sinkAlarm(a, clock.now());
          if (a.active) logger.error({ alarm }, `sink alarm raised: ${a.detail}`);
          else logger.warn({ alarm }, `sink alarm cleared: ${a.detail}`);
        },
      },
    },
    opts.fileSinks,
  );
}

/**
 * A sink alarm in the platform's alarm shape (ISA-18.2 style), so it reads like any other:
 * major while a sink drops rows because its disk queue is full, cleared when it has room again.
 */
export function sinkAlarm(a: SinkAlarm, now: number): Alarm {
  return {
    id: `sink:${a.sink}:${a.kind}`,
    source: `sink:${a.sink}`,
    severity: 'major',
    message: a.detail,
    active: a.active,
    acknowledged: false,
    raisedAt: now,
    ...(a.active ? {} : { clearedAt: now }),
    value: a.dropped,
  };
}
