import { SimErrors } from '../errors.js';
import type { EpanetToolkit as Project } from './toolkit-api.js';
import {
  InitHydOption,
  LinkProperty,
  LinkType,
  NodeProperty,
  NodeType,
  OptionCode,
  TimeParameter,
} from './toolkit-codes.js';
import { applyChlorine, modelsChemical, type ChlorineSetup } from './chlorine.js';
import { controlsOfLink, makeTimersDaily } from './controls.js';
import { epanetCall, openEpanetModel, type EpanetModel } from './epanet.js';
import { bindMeasure, valueBetween, type BoundMeasure, type Measure } from './measure.js';
import { captureSnapshot, type Snapshot } from './snapshot.js';
import { KPA_PER_M, PSI_PER_FT, unitFactors, type UnitFactors } from './units.js';

export interface RunOptions {
  /** Longest hydraulic step in seconds (controls and tank events add shorter ones); default: the model's. */
  hydraulicStep?: number;
  /** Water-quality step in seconds, capped at the hydraulic step; default: the model's. */
  qualityStep?: number;
  /** Run length in seconds; default 10 years, i.e. "until closed". */
  duration?: number;
  /**
   * Chlorine kinetics for a model that does not simulate a chemical. Ignored when the model
   * already does (Net1). Without it such a model keeps its own quality setting.
   */
  chlorine?: ChlorineSetup;
  /** Apply `chlorine` even when the model sets up a chemical of its own (e.g. Net6's unsourced one). */
  replaceChemical?: boolean;
  /** Rewrite one-shot `AT TIME` controls as daily `AT CLOCKTIME` controls; default true. */
  dailyTimers?: boolean;
}

/** A change to the network made by an operator or a scenario event. */
export type Actuation =
  | { kind: 'link-status'; link: string; open: boolean }
  | { kind: 'pump-speed'; link: string; speed: number }
  /** Valve setting in SI: kPa for PRV/PSV/PBV, m³/h for FCV, the loss coefficient for TCV. */
  | { kind: 'link-setting'; link: string; setting: number }
  | { kind: 'automatic'; link: string; enabled: boolean }
  /** Emitter coefficient in the model's units (flow / pressure^exponent); 0 removes it. */
  | { kind: 'emitter'; node: string; coefficient: number }
  /** A leak that loses `flow` m³/h at the node's present pressure, modelled as an emitter. */
  | { kind: 'leak'; node: string; flow: number }
  /**
   * Water leaving the node carries `quality`: a reservoir's own quality, or a setpoint booster
   * elsewhere (EPANET 2.2 manual §3.1 "Reservoirs", "Sources").
   */
  | { kind: 'source-setpoint'; node: string; quality: number };

const TEN_YEARS = 10 * 365 * 86_400;
/** EN_SETPOINT source type (EPANET toolkit: EN_CONCEN 0, EN_MASS 1, EN_SETPOINT 2, EN_FLOWPACED 3). */
const SETPOINT_SOURCE = 2;

/**
 * An extended-period simulation stepped forward on demand, hydraulics and water quality
 * together (toolkit pattern runH/runQ/nextH/nextQ, OWA-EPANET toolkit docs "Water quality
 * analysis"). It always holds two solutions, `prev` at or before the time asked for and
 * `next` after it, so any instant in between can be interpolated.
 *
 * Changes made with `apply` act from the pending step: the pending solution is re-solved with
 * the new settings, so they show up at `next.time` at the latest.
 */
export class HydraulicRun {
  readonly name: string;
  readonly units: UnitFactors;
  readonly #model: EpanetModel;
  readonly #project: Project;
  #prev: Snapshot;
  #next: Snapshot;
  #closed = false;
  /** Drive speeds (relative) set by an operator, by link index; a drive keeps its speed across stops. */
  readonly #speeds = new Map<number, number>();

  private constructor(model: EpanetModel, units: UnitFactors, first: Snapshot, second: Snapshot) {
    this.name = model.name;
    this.#model = model;
    this.#project = model.project;
    this.units = units;
    this.#prev = first;
    this.#next = second;
  }

  static async open(inpPath: string, options: RunOptions = {}): Promise<HydraulicRun> {
    const model = await openEpanetModel(inpPath);
    try {
      const p = model.project;
      const units = unitFactors(p.getFlowUnits());
      epanetCall('setting run options', () => {
        p.setTimeParameter(TimeParameter.Duration, options.duration ?? TEN_YEARS);
        if (options.hydraulicStep !== undefined)
          p.setTimeParameter(TimeParameter.HydStep, options.hydraulicStep);
        const hydStep = p.getTimeParameter(TimeParameter.HydStep);
        const qualStep = options.qualityStep ?? p.getTimeParameter(TimeParameter.QualStep);
        p.setTimeParameter(TimeParameter.QualStep, Math.min(qualStep, hydStep));
        // Reporting plays no part in a stepped run; keep report times from adding extra steps.
        p.setTimeParameter(TimeParameter.ReportStep, hydStep);
      });
      if (options.dailyTimers ?? true) makeTimersDaily(p);
      if (options.chlorine && (options.replaceChemical === true || !modelsChemical(p)))
        applyChlorine(p, options.chlorine, units, model.name);
      epanetCall('initialising the run', () => {
        p.openH();
        p.openQ();
        p.initH(InitHydOption.NoSave);
        p.initQ(InitHydOption.NoSave);
      });
      const first = solveAt(p, units, model.name);
      const second = stepOnce(p, units, model.name);
      return new HydraulicRun(model, units, first, second);
    } catch (err) {
      model.close();
      throw err;
    }
  }

  /** The solution at or before the last time advanced to. */
  get prev(): Snapshot {
    return this.#prev;
  }

  /** The solution after it; the pending step. */
  get next(): Snapshot {
    return this.#next;
  }

  bind(measure: Measure): BoundMeasure {
    return bindMeasure(this.#project, measure, this.units, this.name);
  }

  /** Steps until `prev.time ≤ t < next.time`. Time only moves forward. */
  advanceTo(t: number): void {
    this.#assertOpen();
    while (this.#next.time <= t) {
      this.#prev = this.#next;
      this.#next = stepOnce(this.#project, this.units, this.name);
      if (epanetCall('restoring drive speeds', () => this.#enforceSpeeds()))
        this.#next = resolvePending(this.#project, this.units, this.name, this.#next.time);
    }
  }

  /** Value of a bound measure at `t`, which must lie within [prev.time, next.time]. */
  valueAt(m: BoundMeasure, t: number): number {
    return valueBetween(this.#prev, this.#next, m, t);
  }

  /** Applies changes and re-solves the pending step so they act from `next.time`. */
  apply(changes: readonly Actuation[]): void {
    this.#assertOpen();
    if (changes.length === 0) return;
    const p = this.#project;
    epanetCall('applying changes', () => {
      for (const c of changes) this.#applyOne(p, c);
      this.#enforceSpeeds();
    });
    this.#next = resolvePending(p, this.units, this.name, this.#next.time);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#project.closeQ();
      this.#project.closeH();
    } finally {
      this.#model.close();
    }
  }

  #applyOne(p: Project, c: Actuation): void {
    switch (c.kind) {
      case 'link-status':
        p.setLinkValue(this.#linkIndex(c.link), LinkProperty.Status, c.open ? 1 : 0);
        return;
      case 'pump-speed': {
        const i = this.#linkIndex(c.link);
        this.#speeds.set(i, c.speed);
        // A speed of 0 stops the pump (EPANET: a pump's status follows its speed).
        if (c.speed === 0) p.setLinkValue(i, LinkProperty.Setting, 0);
        return;
      }
      case 'link-setting': {
        const i = this.#linkIndex(c.link);
        p.setLinkValue(i, LinkProperty.Setting, this.#toModelSetting(p.getLinkType(i), c.setting));
        return;
      }
      case 'automatic':
        // Manual mode: the link's simple controls stop overriding what the operator commanded.
        for (const i of controlsOfLink(p, this.#linkIndex(c.link))) p.setControlEnabled(i, c.enabled ? 1 : 0);
        return;
      case 'emitter':
        p.setNodeValue(this.#nodeIndex(c.node), NodeProperty.Emitter, c.coefficient);
        return;
      case 'leak':
        p.setNodeValue(this.#nodeIndex(c.node), NodeProperty.Emitter, this.leakCoefficient(c.node, c.flow));
        return;
      case 'source-setpoint': {
        const i = this.#nodeIndex(c.node);
        p.setNodeValue(i, NodeProperty.SourceType, SETPOINT_SOURCE);
        p.setNodeValue(i, NodeProperty.SourceQual, c.quality);
        return;
      }
    }
  }

  /**
   * EPANET resets a pump's speed to 1 whenever something opens it (setlinkstatus in the toolkit
   * sets the setting to 1.0 for an opened pump), so a level control restarting a pump would lose
   * the operator's speed. A drive keeps its setpoint: after each solve, running pumps with a set
   * speed get it back. Returns true when a setting changed and the step must be re-solved.
   */
  #enforceSpeeds(): boolean {
    let changed = false;
    for (const [i, speed] of this.#speeds) {
      const p = this.#project;
      if (speed === 0 || p.getLinkValue(i, LinkProperty.Status) === 0) continue;
      if (Math.abs(p.getLinkValue(i, LinkProperty.Setting) - speed) < 1e-9) continue;
      p.setLinkValue(i, LinkProperty.Setting, speed);
      changed = true;
    }
    return changed;
  }

  /**
   * The emitter coefficient that makes a node lose `flowM3h` at its present pressure: EPANET's
   * emitter law q = C·p^γ (2.2 manual §3.1 "Emitter Coefficient"), q in flow units, p in
   * pressure units, γ the emitter exponent option (0.5 by default, an orifice).
   */
  leakCoefficient(node: string, flowM3h: number): number {
    const p = this.#project;
    const i = this.#nodeIndex(node);
    const pressure = Math.max(p.getNodeValue(i, NodeProperty.Pressure), 1);
    const exponent = p.getOption(OptionCode.Emitexpon);
    return flowM3h / this.units.flowToM3h / Math.pow(pressure, exponent);
  }

  /** SI valve setting → the model's units (EPANET 2.2 manual, Table A.1: pressure in psi or m). */
  #toModelSetting(type: number, si: number): number {
    switch (type) {
      case LinkType.PRV:
      case LinkType.PSV:
      case LinkType.PBV: {
        const head = si / KPA_PER_M / this.units.lengthToM;
        return this.units.us ? head * PSI_PER_FT : head;
      }
      case LinkType.FCV:
        return si / this.units.flowToM3h;
      default:
        return si;
    }
  }

  #linkIndex(id: string): number {
    return this.bind({ link: id, quantity: 'flow' }).index + 1;
  }

  #nodeIndex(id: string): number {
    return this.bind({ node: id, quantity: 'head' }).index + 1;
  }

  /**
   * Quality of the water a node sends out as a source: a reservoir's own quality (EPANET 2.2
   * manual §3.1 "Reservoirs"), a setpoint source's value, else 0.
   */
  sourceQuality(node: string): number {
    const p = this.#project;
    const i = this.#nodeIndex(node);
    if (p.getNodeType(i) === NodeType.Reservoir) return p.getNodeValue(i, NodeProperty.Initqual);
    // Reading a source the node does not have is EPANET error 240: no source, no quality sent.
    try {
      return p.getNodeValue(i, NodeProperty.SourceType) === SETPOINT_SOURCE
        ? p.getNodeValue(i, NodeProperty.SourceQual)
        : 0;
    } catch {
      return 0;
    }
  }

  /** The underlying project, for callers that need a toolkit call this class does not wrap. */
  get project(): Project {
    return this.#project;
  }

  #assertOpen(): void {
    if (this.#closed) throw SimErrors.RUN_ENDED.create([this.name, this.#next.time]);
  }
}

/** Solves hydraulics and transfers them to the quality engine at the current time. */
function solveAt(p: Project, units: UnitFactors, name: string): Snapshot {
  return epanetCall(`solving ${name}`, () => {
    const t = p.runH();
    p.runQ();
    return captureSnapshot(p, t, units);
  });
}

/** Moves quality and hydraulics to the next event and solves there. */
function stepOnce(p: Project, units: UnitFactors, name: string): Snapshot {
  const step = epanetCall(`stepping ${name}`, () => {
    const dt = p.nextH();
    p.nextQ();
    return dt;
  });
  if (step <= 0) throw SimErrors.RUN_ENDED.create([name, p.getTimeParameter(TimeParameter.HTime)]);
  return solveAt(p, units, name);
}

/**
 * Re-solves the pending time with the current settings. runH re-evaluates demands and controls
 * at the same time; runQ then re-derives flow directions and reaction rates from the new flows
 * (quality.c runqual at Qtime == Htime), so quality transport follows the changed hydraulics.
 */
function resolvePending(p: Project, units: UnitFactors, name: string, time: number): Snapshot {
  const s = solveAt(p, units, name);
  if (s.time !== time) throw SimErrors.EPANET.create([`re-solving ${name}`, `time moved to ${s.time}`]);
  return s;
}
