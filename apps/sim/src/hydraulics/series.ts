import { HydraulicRun, type RunOptions } from './run.js';
import type { Measure } from './measure.js';

export interface SeriesOptions extends RunOptions {
  /** Seconds to simulate, from time 0. */
  duration: number;
  /** Seconds between samples; every sample is interpolated exactly as the live simulator does. */
  interval: number;
  /** What to record, by a name of the caller's choosing. */
  measures: Record<string, Measure>;
}

export interface TimeSeries {
  /** Sample times, seconds since the start of the run. */
  times: number[];
  values: Record<string, number[]>;
}

/**
 * Runs an extended-period simulation and samples the chosen measures at a fixed interval —
 * per-element time series (pump flow and status, tank level, pressures, chlorine …) for
 * analysis, tests and offline data sets.
 */
export async function runTimeSeries(inpPath: string, options: SeriesOptions): Promise<TimeSeries> {
  const { duration, interval, measures, ...runOptions } = options;
  // One step past the end keeps `next` defined at the last sample.
  const run = await HydraulicRun.open(inpPath, { ...runOptions, duration: duration + interval });
  try {
    const bound = Object.entries(measures).map(([name, m]) => [name, run.bind(m)] as const);
    const times: number[] = [];
    const values: Record<string, number[]> = {};
    for (const [name] of bound) values[name] = [];
    for (let t = 0; t <= duration; t += interval) {
      run.advanceTo(t);
      times.push(t);
      for (const [name, m] of bound) values[name]?.push(run.valueAt(m, t));
    }
    return { times, values };
  } finally {
    run.close();
  }
}
