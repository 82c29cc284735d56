import type { Clock } from '@watershed/common';
import { SinkPermanentError, type SinkType } from '@watershed/sink-core';
import type { Store } from '@watershed/store';
import { Type, type Static } from 'typebox';
import { StoreSinkErrors, storeSink } from '../store-sink.js';

export const TsdbSinkConfig = Type.Object({});
export type TsdbSinkConfig = Static<typeof TsdbSinkConfig>;

/**
 * The `tsdb` sink type: rows shaped `{ point, value, ts?, quality? }` become samples in the
 * server's own store (embedded TSDB), behind sink-core's queue and retry. A row of another
 * shape fails its batch for good (counted `failed`); a store error is retried.
 * `store` is undefined where only configs are checked (`watershed config check`).
 */
export function tsdbSink(store: Store | undefined, clock: Clock): SinkType<TsdbSinkConfig> {
  return {
    type: 'tsdb',
    description: "The server's own time-series store: rows { point, value, ts?, quality? } become samples",
    configSchema: TsdbSinkConfig,
    createTransport() {
      if (!store) throw new Error('tsdb sink: no store in this process');
      const sink = storeSink(store, () => clock.now());
      return {
        async send(batch) {
          try {
            await sink.write(batch);
          } catch (err) {
            if (StoreSinkErrors.BAD_ROW.is(err)) throw new SinkPermanentError(err.message, { cause: err });
            throw err;
          }
        },
        close: () => Promise.resolve(),
      };
    },
  };
}
