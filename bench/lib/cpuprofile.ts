/** Self time per function from a V8 `.cpuprofile` (node --cpu-prof), for the benchmark notes. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTimes {
  /** Sampled time the thread was busy (everything but "(idle)"), ms. */
  busyMs: number;
  idleMs: number;
  top: SelfTime[];
}

export interface SelfTime {
  /** "name (file:line)"; anonymous functions and V8 states such as "(garbage collector)" as V8 names them. */
  fn: string;
  ms: number;
  /** Share of busy time (idle excluded), in percent. */
  percent: number;
}

/**
 * Sums each sample's time delta onto the function it landed in, merges nodes of the same
 * function (one function appears once per distinct call path), and returns the top `limit`.
 */
export function topSelfTime(profile: CpuProfile, limit = 15): SelfTimes {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const totals = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample; it is the time spent in sample i−1's
    // node by V8's convention, but with thousands of samples the attribution difference is noise.
    const us = deltas[i] ?? 0;
    const node = byId.get(samples[i]!);
    if (!node) continue;
    const key = label(node);
    if (key === '(idle)') {
      idle += us;
      continue;
    }
    totals.set(key, (totals.get(key) ?? 0) + us);
    busy += us;
  }
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([fn, us]) => ({ fn, ms: us / 1000, percent: busy > 0 ? (us / busy) * 100 : 0 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, top };
}

function label(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|packages)\//, '$1/');
  return `${name} (${file}:${lineNumber + 1})`;
}
