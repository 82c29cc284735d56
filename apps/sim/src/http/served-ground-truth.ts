import type { Logger } from '@watershed/common';
import type { BoundMeasure } from '../hydraulics/measure.js';
import type { HydraulicRun } from '../hydraulics/run.js';
import { GroundTruthWriter, type GroundTruthRecord } from '../scenario/ground-truth.js';
import type { GroundTruthLog, PressureAt } from './ground-truth-log.js';

/**
 * The ground-truth file writer that also hands every record to the log the HTTP endpoint
 * serves, so the file and the endpoint can never disagree.
 */
export class ServedGroundTruthWriter extends GroundTruthWriter {
  readonly #log: GroundTruthLog;

  constructor(file: string, logger: Logger, log: GroundTruthLog) {
    super(file, logger);
    this.#log = log;
  }

  override write(record: GroundTruthRecord): void {
    super.write(record);
    this.#log.record(record);
  }
}

/** Node pressures (kPa) from the simulator's hydraulic runs, by network; binds each node once. */
export function pressureFromRuns(runs: ReadonlyMap<string, HydraulicRun>): PressureAt {
  const bound = new Map<string, BoundMeasure>();
  return (network, node, simTime) => {
    const run = runs.get(network);
    if (!run) return undefined;
    const key = `${network}\u0000${node}`;
    let measure = bound.get(key);
    if (!measure) {
      measure = run.bind({ node, quantity: 'pressure' });
      bound.set(key, measure);
    }
    return run.valueAt(measure, simTime);
  };
}
