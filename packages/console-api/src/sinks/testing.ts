import type { SinkProblem, SinkRuntime, SinkSpec, SinkTestResult } from './runtime.js';
import type { SinkInfo } from './status.js';

/**
 * An in-memory SinkRuntime for route tests: type `http` only, whose `url` must start with
 * http:// or https://; one config-file sink `file-sink`. Records what it was asked to run.
 */
export class FakeSinkRuntime implements SinkRuntime {
  readonly running = new Map<string, SinkSpec>();
  readonly applied: SinkSpec[] = [];
  readonly removed: string[] = [];
  readonly tested: Omit<SinkSpec, 'enabled'>[] = [];

  types() {
    return [{ type: 'http', description: 'webhook', schema: { type: 'object' } }];
  }

  fileSinks() {
    return [
      { id: 'file-sink', type: 'http', config: { url: 'http://file.example/hook', token: 'file-secret' } },
    ];
  }

  validate(spec: SinkSpec): SinkProblem[] {
    if (spec.type !== 'http') return [{ path: '/type', message: 'a sink type (one of: http)' }];
    const url = spec.config['url'];
    return typeof url === 'string' && /^https?:\/\//.test(url)
      ? []
      : [{ path: '/url', message: 'string matching ^https?://' }];
  }

  apply(spec: SinkSpec): Promise<void> {
    this.applied.push(spec);
    if (spec.enabled) this.running.set(spec.id, spec);
    else this.running.delete(spec.id);
    return Promise.resolve();
  }

  remove(id: string): Promise<{ discarded: number }> {
    this.removed.push(id);
    this.running.delete(id);
    return Promise.resolve({ discarded: 0 });
  }

  test(spec: Omit<SinkSpec, 'enabled'>): Promise<SinkTestResult> {
    this.tested.push(spec);
    return Promise.resolve({ ok: true, ms: 1, detail: 'connected' });
  }

  list(): SinkInfo[] {
    return ['file-sink', ...this.running.keys()].sort().map((id) => this.get(id)!);
  }

  get(id: string): SinkInfo | undefined {
    const spec = id === 'file-sink' ? { type: 'http' } : this.running.get(id);
    if (!spec) return undefined;
    return {
      id,
      type: spec.type,
      health: { state: 'up', alarm: false, failures: 0 },
      metrics: {
        matched: 0,
        success: 0,
        failed: 0,
        dropped: 0,
        queued: 0,
        inflight: 0,
        queuedMemory: 0,
        queuedDisk: 0,
        diskBytes: 0,
        recovered: 0,
        retries: 0,
        batches: 0,
      },
    };
  }
}
