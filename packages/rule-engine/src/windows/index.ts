import type { WindowSpec } from '@watershed/rule-sql';
import { CountWindows } from './count.js';
import { SessionWindows } from './session.js';
import { SlidingWindows } from './sliding.js';
import { TimeWindows } from './time-windows.js';
import type { WindowDeps, WindowOperator } from './window.js';

export type { EmitSink, KeyedRows, WindowDeps, WindowOperator, WindowState } from './window.js';

/** The runtime for a rule's window clause. */
export function createWindow(spec: WindowSpec, deps: WindowDeps): WindowOperator {
  switch (spec.kind) {
    case 'tumbling':
      return new TimeWindows(deps, spec.sizeMs, spec.sizeMs);
    case 'hopping':
      return new TimeWindows(deps, spec.sizeMs, spec.hopMs);
    case 'sliding':
      return new SlidingWindows(deps, spec.sizeMs, spec.delayMs);
    case 'session':
      return new SessionWindows(deps, spec.maxMs, spec.timeoutMs);
    case 'count':
      return new CountWindows(deps, spec.count, spec.hop);
  }
}
