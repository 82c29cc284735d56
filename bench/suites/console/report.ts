/** The console suite's report: the two figures of issue 8 against their absolute targets. */
import { result, type BenchReport } from '../../lib/report.js';
import type { LoadSummary, RefreshSummary } from './stats.js';

/** Issue 8: the overview's first load completes in under 2 s on loopback. */
export const LOAD_TARGET_MS = 2000;
/**
 * Issue 8: live values refresh every second. The gateway's 1 s poll timer and the page's event
 * loop each fire a few ms late, so intervals of a console that misses no poll average just over
 * 1000 ms; 5 % is that jitter, while one missed refresh in twenty already fails.
 */
export const REFRESH_TARGET_MS = 1050;

const NO_PEER = 'no peer console exists here';

export function consoleReport(input: {
  machine: string;
  loads: LoadSummary;
  requestedLoads: number;
  refresh: RefreshSummary;
  /** Intervals between live-stream events carrying a watched point, whatever the page showed. */
  delivery?: RefreshSummary;
  durationS: number;
}): BenchReport {
  const { loads, refresh } = input;
  const missed = input.requestedLoads - loads.count;
  return {
    bench: 'console',
    machine: input.machine,
    results: [
      result({
        name: 'overview-load-ms',
        unit: 'ms',
        ours: loads.p50,
        target: { kind: 'ours', better: 'lower', bound: LOAD_TARGET_MS },
        problems: [
          ...(missed > 0 ? [`${missed} of ${input.requestedLoads} loads never showed live values`] : []),
          ...(loads.max > LOAD_TARGET_MS ? [`max ${Math.round(loads.max)} ms over ${LOAD_TARGET_MS}`] : []),
        ],
        note: `p50 of ${loads.count} cold loads (new context, logged in), max ${Math.round(loads.max)} ms; ${NO_PEER}`,
      }),
      result({
        name: 'live-refresh-ms',
        unit: 'ms',
        ours: refresh.mean,
        target: { kind: 'ours', better: 'lower', bound: REFRESH_TARGET_MS },
        problems: refresh.count === 0 ? [`no value changed twice in ${input.durationS} s`] : [],
        note:
          `mean interval between changes of a displayed value, ${refresh.count} intervals on ` +
          `${refresh.cells} cells over ${input.durationS} s; p95 ${Math.round(refresh.p95)} ms, ` +
          `max ${Math.round(refresh.max)} ms; ` +
          (input.delivery && input.delivery.count > 0
            ? `stream events for those points: mean ${Math.round(input.delivery.mean)} ms, ` +
              `p95 ${Math.round(input.delivery.p95)} ms, max ${Math.round(input.delivery.max)} ms; `
            : '') +
          NO_PEER,
      }),
    ],
  };
}
