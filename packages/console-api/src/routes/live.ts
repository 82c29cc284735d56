import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { Clock } from '@watershed/common';
import type { SampleRow } from '@watershed/store';
import { Type } from 'typebox';
import { SseStream } from '../live/sse-stream.js';
import { errorResponses, LiveQuery, LiveSample } from '../schemas.js';

/** Where live samples come from (the rule engine's store sink, a broker hook …). */
export interface LiveFeed {
  /** Calls `listener` with each batch of new samples until the returned function is called. */
  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void;
}

export interface LiveRouteOptions {
  live: LiveFeed;
  clock: Clock;
  /** Default 250 ms: at most four events a second per connection. */
  minIntervalMs?: number;
  /** Default 15 s. */
  heartbeatMs?: number;
}

/** `GET /api/v1/live`: Server-Sent Events, one `samples` event per coalesced burst. */
export const liveRoutes: FastifyPluginCallbackTypebox<LiveRouteOptions> = (app, opts, done) => {
  const streams = new Set<SseStream>();

  app.get(
    '/live',
    {
      schema: {
        summary: 'Live samples as Server-Sent Events',
        description:
          'Event `samples` carries a JSON array of LiveSample; bursts are coalesced to at most about ' +
          'four events a second; a comment line every 15 s keeps the connection alive.',
        tags: ['live'],
        querystring: LiveQuery,
        response: {
          200: {
            description: 'text/event-stream of `samples` events',
            content: { 'text/event-stream': { schema: Type.Array(LiveSample) } },
          },
          ...errorResponses,
        },
      },
    },
    (req, reply) => {
      const ids = req.query.points
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      reply.hijack(); // the stream outlives the handler; SseStream owns the response from here
      const stream = new SseStream(reply.raw, {
        clock: opts.clock,
        minIntervalMs: opts.minIntervalMs ?? 250,
        heartbeatMs: opts.heartbeatMs ?? 15_000,
        filter: ids && ids.length > 0 ? new Set(ids) : undefined,
        maxBuffered: 10_000,
      });
      stream.start();
      if (stream.closed) return; // the client left before we started
      streams.add(stream);
      const unsubscribe = opts.live.subscribe((rows) => stream.push(rows));
      stream.onClose(() => {
        unsubscribe();
        streams.delete(stream);
      });
    },
  );

  // Open streams would hold server.close() forever; end them before it waits.
  app.addHook('preClose', (done) => {
    for (const s of streams) s.close();
    done();
  });

  done();
};
