/**
 * A simulated device for this folder's tests: registers held in memory (`r1`, `r2` …), read
 * and written through the edge runtime's real driver contract. Not exported from the package.
 */
import type { Driver, DriverHealth, DriverModule, Readable, TagRef, Writable } from '@watershed/driver-sdk';
import type { Sample, SampleValue } from '@watershed/model';
import { Type } from 'typebox';

export class Registers {
  readonly values = new Map<string, SampleValue>();
  writes = 0;
}

class SimDevice implements Driver, Readable, Writable {
  readonly #regs: Registers;
  #state: DriverHealth['state'] = 'disconnected';
  #since = Date.now();
  #requests = 0;

  constructor(regs: Registers) {
    this.#regs = regs;
  }

  connect(): Promise<void> {
    this.#set('connected');
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#set('closed');
    return Promise.resolve();
  }

  health(): DriverHealth {
    const stats = { requests: this.#requests, failures: 0, timeouts: 0, reconnects: 0 };
    return { state: this.#state, since: this.#since, stats };
  }

  read(tags: readonly TagRef[]): Promise<Sample[]> {
    this.#requests++;
    const ts = Date.now();
    return Promise.resolve(
      tags.map((t) => ({ ts, value: this.#regs.values.get(t.address) ?? 0, quality: 'good' as const })),
    );
  }

  write(tag: TagRef, value: SampleValue): Promise<void> {
    this.#requests++;
    this.#regs.writes++;
    this.#regs.values.set(tag.address, value);
    return Promise.resolve();
  }

  #set(state: DriverHealth['state']): void {
    this.#state = state;
    this.#since = Date.now();
  }
}

/** The `sim` driver module: every device created on it shares `regs`. */
export function simModule(regs: Registers): DriverModule {
  return {
    id: 'sim',
    version: '1',
    description: 'in-memory registers for fleet tests',
    configSchema: Type.Object({}, { additionalProperties: false }),
    checkAddress: (address) =>
      /^r\d+$/.test(address) ? { ok: true } : { ok: false, message: 'a register like r1' },
    create: () => new SimDevice(regs),
  };
}
