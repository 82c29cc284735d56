import type { Logger } from '@watershed/common';
import { SimErrors } from '../errors.js';
import type { Actuation, HydraulicRun } from '../hydraulics/run.js';
import { formatSimTime } from '../time-of-day.js';
import { durationSeconds, type ScenarioEvent } from './events.js';
import type { GroundTruthWriter } from './ground-truth.js';
import { eventTags, overlayFor, type PlantEvent, type PlantTargets } from './plant-events.js';

interface Change {
  readonly at: number;
  readonly phase: 'start' | 'end';
  readonly event: ScenarioEvent;
  readonly run: HydraulicRun;
  readonly network: string;
}

const NO_PLANTS: PlantTargets = {
  districtOf: () => undefined,
  point: () => undefined,
  tags: () => [],
  overlay: () => undefined,
  outage: () => undefined,
};

function isPlantEvent(event: ScenarioEvent): event is PlantEvent {
  return 'plant' in event;
}

/** The element an event acts on, as the ground truth names it. */
function elementOf(event: ScenarioEvent): string {
  switch (event.kind) {
    case 'leak':
      return event.node;
    case 'pump-trip':
      return event.link;
    case 'sensor-fault':
      return `${event.plant}.${event.tag}`;
    case 'comm-outage':
    case 'turbidity-excursion':
    case 'dosing-failure':
      return event.plant;
  }
}

/**
 * Plays a scenario's events at their simulated times — into the hydraulic runs (leaks, pump
 * trips) or the plants (sensor faults, turbidity excursions, dosing failures, communication
 * outages) — and records each start and end in the ground-truth file. Events are bound and
 * checked when scheduled, so a scenario naming a missing pipe or tag fails at start, not hours
 * into a run.
 */
export class ScenarioRunner {
  readonly #pending: Change[] = [];
  readonly #truth: GroundTruthWriter | undefined;
  readonly #logger: Logger;
  readonly #defaultNetwork: string;
  readonly #runs: ReadonlyMap<string, HydraulicRun>;
  readonly #plants: PlantTargets;

  constructor(opts: {
    events: readonly ScenarioEvent[];
    /** Simulated time the scenario's `after` values count from. */
    start: number;
    defaultNetwork: string;
    runs: ReadonlyMap<string, HydraulicRun>;
    plants?: PlantTargets;
    truth?: GroundTruthWriter;
    logger: Logger;
  }) {
    this.#truth = opts.truth;
    this.#logger = opts.logger;
    this.#defaultNetwork = opts.defaultNetwork;
    this.#runs = opts.runs;
    this.#plants = opts.plants ?? NO_PLANTS;
    for (const event of opts.events) this.schedule(event, opts.start);
  }

  /** Adds an event whose `after` counts from `from` (simulated seconds); checks its element now. */
  schedule(event: ScenarioEvent, from: number): void {
    const network = isPlantEvent(event)
      ? this.#plants.districtOf(event.plant)
      : (event.network ?? this.#defaultNetwork);
    if (network === undefined && isPlantEvent(event))
      throw SimErrors.UNKNOWN_PLANT.create([event.plant, 'see the scenario’s plants and stations']);
    const run = this.#runs.get(network ?? '');
    if (!run || network === undefined)
      throw SimErrors.UNKNOWN_ELEMENT.create([
        'network',
        network ?? '',
        `the plants' networks (${[...this.#runs.keys()].join(', ')})`,
      ]);
    if (event.kind === 'leak') run.bind({ node: event.node, quantity: 'pressure' });
    else if (event.kind === 'pump-trip') run.bind({ link: event.link, quantity: 'status' });
    else if (event.kind === 'sensor-fault' && !this.#plants.point(event.plant, event.tag))
      throw SimErrors.UNKNOWN_ELEMENT.create(['tag', event.tag, `plant ${event.plant}`]);
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
      const details = isPlantEvent(change.event)
        ? this.#applyToPlant(change, change.event)
        : this.#applyToNetwork(change);
      const element = elementOf(change.event);
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
          effectiveAt: isPlantEvent(change.event) ? change.at : change.run.next.time,
          ...(change.event.note ? { note: change.event.note } : {}),
        },
      });
    }
  }

  #applyToPlant(change: Change, event: PlantEvent): Record<string, unknown> {
    const start = change.phase === 'start';
    if (event.kind === 'comm-outage') {
      this.#plants.outage(event.plant, start);
      return { answering: !start };
    }
    const tags = eventTags(event, this.#plants);
    for (const tag of tags) {
      const point = this.#plants.point(event.plant, tag);
      if (!point) continue;
      this.#plants.overlay(event.plant, tag, start ? overlayFor(event, point, change.at) : undefined);
    }
    if (event.kind === 'sensor-fault')
      return { fault: event.fault, magnitude: event.magnitude ?? 0, active: start };
    if (event.kind === 'dosing-failure') return { residual: event.residual ?? 0, tags, active: start };
    return { peak: event.peak, tags, active: start };
  }

  #applyToNetwork(change: Change): Record<string, unknown> {
    const { event, run, phase } = change;
    let actuations: Actuation[];
    let details: Record<string, unknown>;
    if (event.kind === 'leak') {
      const coefficient = phase === 'start' ? run.leakCoefficient(event.node, event.flow) : 0;
      actuations = [{ kind: 'emitter', node: event.node, coefficient }];
      details = { flow: phase === 'start' ? event.flow : 0, emitterCoefficient: coefficient };
    } else if (event.kind === 'pump-trip') {
      actuations =
        phase === 'start'
          ? [
              { kind: 'automatic', link: event.link, enabled: false },
              { kind: 'link-status', link: event.link, open: false },
            ]
          : [{ kind: 'automatic', link: event.link, enabled: true }];
      details = { running: false, automatic: phase === 'end' };
    } else {
      return {};
    }
    run.apply(actuations);
    return details;
  }
}
