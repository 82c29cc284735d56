import { Counter, type Registry } from '@watershed/common';

/**
 * Prometheus figures of the vendor meter feeds, beside `stats()`: readings by vendor and
 * outcome, refusals by vendor and error code, batches the store failed to take.
 */
export class MeterMetrics {
  readonly #readings: Counter<'vendor' | 'outcome'>;
  readonly #refusals: Counter<'vendor' | 'code'>;
  readonly #storeErrors: Counter<'vendor'>;

  constructor(registry: Registry) {
    this.#readings = new Counter({
      name: 'watershed_meter_readings_total',
      help: 'Vendor meter readings received, by vendor and outcome (accepted, rejected)',
      labelNames: ['vendor', 'outcome'],
      registers: [registry],
    });
    this.#refusals = new Counter({
      name: 'watershed_meter_refusals_total',
      help: 'Vendor meter readings refused, by vendor and WS_ERR_METER_* code',
      labelNames: ['vendor', 'code'],
      registers: [registry],
    });
    this.#storeErrors = new Counter({
      name: 'watershed_meter_store_errors_total',
      help: 'Vendor meter batches the store failed to take (the sender retries)',
      labelNames: ['vendor'],
      registers: [registry],
    });
  }

  accepted(vendor: string, n: number): void {
    if (n > 0) this.#readings.inc({ vendor, outcome: 'accepted' }, n);
  }

  refused(vendor: string, code: string): void {
    this.#readings.inc({ vendor, outcome: 'rejected' });
    this.#refusals.inc({ vendor, code });
  }

  storeFailed(vendor: string): void {
    this.#storeErrors.inc({ vendor });
  }
}
