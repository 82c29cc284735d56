import type { Logger } from '@watershed/common';
import { SimErrors } from '../errors.js';
import type { Actuation, HydraulicRun } from '../hydraulics/run.js';
import { formatSimTime } from '../time-of-day.js';
import { durationSeconds, type ScenarioEvent } from './events.js';
import type { GroundTruthWriter } from './ground-truth.js';

interface Change {
  readonly at: number;
  readonly phase: 'start' | 'end';
  readonly event: ScenarioEvent;
  readonly run: HydraulicRun;
  readonly network: string;
}

/**
 * Plays a scenario's events into the hydraulic runs at their simulated times and records each
 * start and end in the ground-truth file. Events are bound and checked when the runner is built,
 * so a scenario naming a missing pipe fails at start, not hours into a run.
 */
export class ScenarioRunner {
  readonly #pending: Change[] = [];
  readonly #truth: GroundTruthWriter | undefined;
  readonly #logger: Logger;
  readonly #defaultNetwork: string;
  readonly #runs: ReadonlyMap<string, HydraulicRun>;

  constructor(opts: {
    events: readonly ScenarioEvent[];
    /** Simulated time the scenario's `after` values count from. */
    start: number;
    defaultNetwork: string;
    runs: ReadonlyMap<string, HydraulicRun>;
    truth?: GroundTruthWriter;
    logger: Logger;
  }) {
    this.#truth = opts.truth;
    this.#logger = opts.logger;
    this.#defaultNetwork = opts.defaultNetwork;
    this.#runs = opts.runs;
    for (const event of opts.events) this.schedule(event, opts.start);
  }

  /** Adds an event whose `after` counts from `from` (simulated seconds); checks its element now. */
  schedule(event: ScenarioEvent, from: number): void {
    const network = event.network ?? this.#defaultNetwork;
    const run = this.#runs.get(network);
    if (!run)
      throw SimErrors.UNKNOWN_ELEMENT.create([
        'network',
        network,
        `the plants' networks (${[...this.#runs.keys()].join(', ')})`,
      ]);
    if (event.kind === 'leak') run.bind({ node: event.node, quantity: 'pressure' });
    else run.bind({ link: event.link, quantity: 'status' });
    const at = from + durationSeconds(event.after);
    this.#insert({ at, phase: 'start', event, run, network });
    if (event.duration !== undefined)
      this.#insert({ at: at + durationSeconds(event.duration), phase: 'end', event, run, network });
  }

  #insert(change: Change): void {
    // Stable: a change goes after every change due at the same time.
    let i = this.#pending.length;
    while (i > 0 && (this.#pending[i - 1]?.at ?? 0) > change.at) i--;
    this.#pending.splice(i, 0, change);
  }

  /** Events not yet played. */
  get remaining(): number {
    return this.#pending.length;
  }

  /**
   * Plays every change due by `simTime`, in time order, each at its own time: the run is
   * advanced to the change's time first, so the change acts from the next hydraulic step.
   */
  playUntil(simTime: number, wallTime: number): void {
    while (this.#pending.length > 0 && (this.#pending[0]?.at ?? Infinity) <= simTime) {
      const change = this.#pending.shift();
      if (!change) break;
      change.run.advanceTo(change.at);
      const details = this.#apply(change);
      const element = change.event.kind === 'leak' ? change.event.node : change.event.link;
      this.#logger.info(
        { event: change.event.kind, phase: change.phase, element, simTime: formatSimTime(change.at) },
        'scenario event',
      );
      this.#truth?.write({
        phase: change.phase,
        kind: change.event.kind,
        network: change.network,
        element,
        simTime: change.at,
        simClock: formatSimTime(change.at),
        wallTime: new Date(wallTime).toISOString(),
        details: {
          ...details,
          effectiveAt: change.run.next.time,
          ...(change.event.note ? { note: change.event.note } : {}),
        },
      });
    }
  }

  #apply(change: Change): Record<string, unknown> {
    const { event, run, phase } = change;
    let actuations: Actuation[];
    let details: Record<string, unknown>;
    if (event.kind === 'leak') {
      const coefficient = phase === 'start' ? run.leakCoefficient(event.node, event.flow) : 0;
      actuations = [{ kind: 'emitter', node: event.node, coefficient }];
      details = { flow: phase === 'start' ? event.flow : 0, emitterCoefficient: coefficient };
    } else {
      actuations =
        phase === 'start'
          ? [
              { kind: 'automatic', link: event.link, enabled: false },
              { kind: 'link-status', link: event.link, open: false },
            ]
          : [{ kind: 'automatic', link: event.link, enabled: true }];
      details = { running: false, automatic: phase === 'end' };
    }
    run.apply(actuations);
    return details;
  }
}
