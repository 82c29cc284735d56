import type { Measure } from '../../hydraulics/measure.js';
import type { SensorSpec } from '../../signal/sensor.js';
import type { SharedState } from '../plant.js';
import {
  dailyTemperature,
  edgeCounter,
  hydraulicKw,
  integrator,
  lag,
  lineCurrentA,
  motorPowerFactor,
  setEfficiency,
  word,
} from './physics.js';
import type { PointTable } from './point-table.js';

/** One EPANET pump as the station's set of identical units. */
export interface PumpSetSpec {
  /** Link id of the pump in the district's model. */
  readonly link: string;
  /** Motors behind the model's pump: with more than one, one is on standby, rotating daily. */
  readonly units: number;
  /** Best-efficiency flow of one unit, m³/h. */
  readonly ratedFlow: number;
  /** Head at that flow, m. */
  readonly ratedHead: number;
  /** Supply voltage of the motors, V. */
  readonly volts: number;
  readonly from: string;
  readonly to: string;
}

const AMBIENT_MEAN = 18;
const FLOW: SensorSpec = { noise: 0.4, resolution: 0.1, min: 0 };
const PRESS: SensorSpec = { noise: 0.4, resolution: 0.1, min: 0 };
const TEMP: SensorSpec = { noise: 0.15, resolution: 0.1 };
const ELEC: SensorSpec = { noise: 0.2, resolution: 0.1, min: 0 };
const EXACT: SensorSpec = {};

/** The state of one unit at one time, computed once per sample and read by all its points. */
interface UnitState {
  running: boolean;
  flow: number;
  speed: number;
  head: number;
  suction: number;
  discharge: number;
  kw: number;
  amps: number;
  pf: number;
  volts: number;
  efficiency: number;
  winding: number;
  bearingDe: number;
  bearingNde: number;
  vibDe: number;
  vibNde: number;
  driveTemp: number;
  torque: number;
  energy: number;
  hours: number;
  starts: number;
}

class UnitModel {
  readonly #set: PumpSetSpec;
  readonly #k: number;
  readonly #ratedKw: number;
  readonly #winding = lag(1800);
  readonly #bearingDe = lag(2700);
  readonly #bearingNde = lag(3000);
  readonly #drive = lag(900);
  readonly #energy: (rate: number, t: number) => number;
  readonly #hours: (rate: number, t: number) => number;
  readonly #starts: (on: boolean) => number;
  #t = NaN;
  #s: UnitState | undefined;

  constructor(set: PumpSetSpec, k: number, ratedKw: number, seedHistory: number) {
    this.#set = set;
    this.#k = k;
    this.#ratedKw = ratedKw;
    // Counters start where a few years of service would have left them.
    this.#energy = integrator(Math.round(seedHistory * ratedKw * 9000));
    this.#hours = integrator(Math.round(seedHistory * 15_000));
    this.#starts = edgeCounter(Math.round(seedHistory * 4_000));
  }

  /** inputs: status, flow, speed, head(from), head(to), pressure(from), pressure(to). */
  at(v: Float64Array, t: number): UnitState {
    if (t === this.#t && this.#s) return this.#s;
    const set = this.#set;
    const onDuty = set.units === 1 || Math.floor(t / 86_400) % set.units !== this.#k;
    const running = (v[0] ?? 0) >= 0.5 && onDuty && (v[1] ?? 0) > 0;
    const duty = Math.max(1, set.units - 1);
    const flow = running ? (v[1] ?? 0) / duty : 0;
    const speed = running ? (v[2] ?? 0) : 0;
    const head = running ? Math.max(0, (v[4] ?? 0) - (v[3] ?? 0)) : 0;
    const load = flow / set.ratedFlow;
    const efficiency = running ? setEfficiency(load) : 0;
    const kw = running ? hydraulicKw(flow, head) / efficiency : 0;
    const shaftLoad = kw / this.#ratedKw;
    const pf = running ? motorPowerFactor(shaftLoad) : 0;
    // The supply sags a little under the station's load.
    const volts = set.volts * (1 - 0.015 * shaftLoad);
    const amps = lineCurrentA(kw, volts, pf || 1);
    const ambient = dailyTemperature(t, AMBIENT_MEAN, 4);
    const s: UnitState = {
      running,
      flow,
      speed,
      head,
      suction: v[5] ?? 0,
      discharge: running ? (v[6] ?? 0) : (v[5] ?? 0),
      kw,
      amps,
      pf,
      volts,
      efficiency: efficiency * 100,
      // Copper losses go with the square of the current (rise ~75 K at rated load, class F).
      winding: this.#winding(ambient + 10 + 75 * shaftLoad * shaftLoad, t),
      bearingDe: this.#bearingDe(ambient + 5 + 30 * shaftLoad * (speed / 100), t),
      bearingNde: this.#bearingNde(ambient + 4 + 24 * shaftLoad * (speed / 100), t),
      vibDe: running ? 0.9 + 1.4 * (speed / 100) ** 2 + 0.6 * Math.abs(load - 1) : 0.05,
      vibNde: running ? 0.7 + 1.1 * (speed / 100) ** 2 + 0.5 * Math.abs(load - 1) : 0.04,
      driveTemp: this.#drive(ambient + 12 + 20 * shaftLoad, t),
      torque: running && speed > 0 ? (100 * shaftLoad) / (speed / 100) : 0,
      energy: this.#energy(kw, t),
      hours: this.#hours(running ? 1 : 0, t),
      starts: this.#starts(running),
    };
    this.#t = t;
    this.#s = s;
    return s;
  }
}

/** IEC 60034-1 standard motor ratings, kW: a unit gets the next size up from its duty. */
const MOTOR_SIZES = [
  5.5, 7.5, 11, 15, 18.5, 22, 30, 37, 45, 55, 75, 90, 110, 132, 160, 200, 250, 315, 355, 400, 500, 630, 800,
  1000, 1250, 1600, 2000,
];

function ratedMotorKw(set: PumpSetSpec): number {
  const duty = (hydraulicKw(set.ratedFlow, set.ratedHead) / setEfficiency(1)) * 1.15;
  return MOTOR_SIZES.find((s) => s >= duty) ?? MOTOR_SIZES[MOTOR_SIZES.length - 1]!;
}

/**
 * Adds a pump set: per unit (P1, P2 … numbered on from `firstUnit`) its run and availability,
 * flow, pressures, head, efficiency, drive and motor electrics, winding and bearing temperatures,
 * vibration, energy, run hours, starts, status and alarm words and their alarm bits, and a power
 * analyser's three-phase readings; then the set's own commands (run, automatic, speed setpoint)
 * acting on the model's pump. Returns the number of units added.
 */
export function addPumpSet(
  table: PointTable,
  set: PumpSetSpec,
  firstUnit: number,
  setNo: number,
  history: (k: number) => number,
): number {
  const inputs: Measure[] = [
    { link: set.link, quantity: 'status' },
    { link: set.link, quantity: 'flow' },
    { link: set.link, quantity: 'speed' },
    { node: set.from, quantity: 'head' },
    { node: set.to, quantity: 'head' },
    { node: set.from, quantity: 'pressure' },
    { node: set.to, quantity: 'pressure' },
  ];
  const ratedKw = ratedMotorKw(set);
  for (let k = 0; k < set.units; k++) {
    const key = {};
    const unit = (shared: SharedState): UnitModel =>
      shared(key, () => new UnitModel(set, k, ratedKw, history(k)));
    const p = `P${firstUnit + k}`;
    const name = `pump ${firstUnit + k} (model pump ${set.link}${set.units > 1 ? `, unit ${k + 1}/${set.units}` : ''})`;
    const num = (
      suffix: string,
      unitName: string,
      quantity: 'flow' | 'pressure' | 'speed' | 'power' | 'other' | 'status',
      description: string,
      pick: (s: UnitState) => number,
      sensor: SensorSpec,
      dataType: 'float' | 'uint16' | 'uint32' = 'float',
    ): void =>
      table.add({
        tag: `${p}_${suffix}`,
        dataType,
        unit: unitName,
        quantity,
        description: `${description}, ${name}`,
        source: { derived: { inputs, model: (sh) => (v, t) => pick(unit(sh).at(v, t)) } },
        sensor,
      });
    const bit = (suffix: string, description: string, pick: (s: UnitState) => boolean): void =>
      table.add({
        tag: `${p}_${suffix}`,
        dataType: 'bool',
        quantity: 'status',
        description: `${description}, ${name}`,
        source: { derived: { inputs, model: (sh) => (v, t) => (pick(unit(sh).at(v, t)) ? 1 : 0) } },
      });
    const alarms = {
      winding: (s: UnitState) => s.winding > 130,
      bearing: (s: UnitState) => Math.max(s.bearingDe, s.bearingNde) > 85,
      vibration: (s: UnitState) => Math.max(s.vibDe, s.vibNde) > 4.5,
      dryRun: (s: UnitState) => s.running && s.flow < 0.1 * set.ratedFlow,
      lowSuction: (s: UnitState) => s.running && s.suction < 20,
    };
    bit('RUN', 'Running', (s) => s.running);
    bit('AVAIL', 'Available (no fault, remote)', () => true);
    bit('REMOTE', 'In remote (SCADA) control', () => true);
    bit('FAULT', 'Drive or motor fault', () => false);
    num('FLOW', 'm3/h', 'flow', 'Discharge flow', (s) => s.flow, FLOW);
    num('SPEED', '%', 'speed', 'Speed', (s) => s.speed, { resolution: 0.1, min: 0 });
    num('FREQ', 'Hz', 'other', 'Drive output frequency', (s) => (s.speed / 100) * 50, {
      resolution: 0.01,
      min: 0,
    });
    num('SUCT_PRESS', 'kPa', 'pressure', 'Suction pressure', (s) => s.suction, PRESS);
    num('DISCH_PRESS', 'kPa', 'pressure', 'Discharge pressure', (s) => s.discharge, PRESS);
    num('HEAD', 'm', 'other', 'Differential head', (s) => s.head, { noise: 0.05, resolution: 0.01, min: 0 });
    num('EFF', '%', 'other', 'Wire-to-water efficiency', (s) => s.efficiency, { resolution: 0.1, min: 0 });
    num('CURRENT', 'A', 'other', 'Motor current', (s) => s.amps, ELEC);
    num('POWER', 'kW', 'power', 'Motor input power', (s) => s.kw, ELEC);
    num('PF', '', 'other', 'Power factor', (s) => s.pf, { resolution: 0.01, min: 0, max: 1 });
    num('TORQUE', '%', 'other', 'Motor torque', (s) => s.torque, { noise: 0.3, resolution: 0.1, min: 0 });
    num('WDG_U_TEMP', 'degC', 'other', 'Winding temperature phase U', (s) => s.winding, TEMP);
    num('WDG_V_TEMP', 'degC', 'other', 'Winding temperature phase V', (s) => s.winding + 0.8, TEMP);
    num('WDG_W_TEMP', 'degC', 'other', 'Winding temperature phase W', (s) => s.winding - 0.5, TEMP);
    num('BRG_DE_TEMP', 'degC', 'other', 'Drive-end bearing temperature', (s) => s.bearingDe, TEMP);
    num('BRG_NDE_TEMP', 'degC', 'other', 'Non-drive-end bearing temperature', (s) => s.bearingNde, TEMP);
    num('VIB_DE', 'mm/s', 'other', 'Drive-end vibration velocity (RMS)', (s) => s.vibDe, {
      noise: 0.08,
      resolution: 0.01,
      min: 0,
    });
    num('VIB_NDE', 'mm/s', 'other', 'Non-drive-end vibration velocity (RMS)', (s) => s.vibNde, {
      noise: 0.08,
      resolution: 0.01,
      min: 0,
    });
    num('VFD_TEMP', 'degC', 'other', 'Drive heatsink temperature', (s) => s.driveTemp, TEMP);
    num('VFD_DC_BUS', 'V', 'other', 'Drive DC bus voltage', (s) => s.volts * Math.SQRT2 * 0.97, {
      noise: 1,
      resolution: 1,
    });
    num('ENERGY', 'kWh', 'power', 'Energy counter', (s) => Math.floor(s.energy), EXACT, 'uint32');
    num('RUN_HOURS', 'h', 'other', 'Run hours', (s) => s.hours, { resolution: 0.1 });
    num('STARTS', '', 'other', 'Start counter', (s) => s.starts, EXACT, 'uint32');
    num(
      'STATUS',
      '',
      'status',
      'Status word (b0 ready, b1 running, b2 remote, b3 at speed, b4 fault)',
      (s) => word(true, s.running, true, s.running && s.speed > 0, false),
      EXACT,
      'uint16',
    );
    num(
      'ALARMS',
      '',
      'status',
      'Alarm word (b0 winding temp, b1 bearing temp, b2 vibration, b3 dry run, b4 low suction)',
      (s) =>
        word(
          alarms.winding(s),
          alarms.bearing(s),
          alarms.vibration(s),
          alarms.dryRun(s),
          alarms.lowSuction(s),
        ),
      EXACT,
      'uint16',
    );
    bit('WDG_TEMP_HI', 'Winding temperature high (> 130 °C)', alarms.winding);
    bit('BRG_TEMP_HI', 'Bearing temperature high (> 85 °C)', alarms.bearing);
    bit('VIB_HI', 'Vibration high (> 4.5 mm/s, ISO 10816-3 zone C)', alarms.vibration);
    bit('DRY_RUN', 'Dry running (flow < 10 % of rated while running)', alarms.dryRun);
    bit('SUCT_LO', 'Low suction pressure (< 20 kPa)', alarms.lowSuction);
    // The unit's MCC power analyser (phases balanced within a few per cent).
    for (const [ph, skew] of [
      ['L1', 1],
      ['L2', 1.012],
      ['L3', 0.991],
    ] as const) {
      num(`PM_V_${ph}`, 'V', 'other', `Phase voltage ${ph}-N`, (s) => (s.volts / Math.sqrt(3)) * skew, ELEC);
      num(`PM_I_${ph}`, 'A', 'other', `Phase current ${ph}`, (s) => s.amps * skew, ELEC);
    }
    num(
      'PM_KVAR',
      'kvar',
      'power',
      'Reactive power',
      (s) => (s.pf > 0 ? s.kw * Math.tan(Math.acos(s.pf)) : 0),
      ELEC,
    );
    num('PM_KVA', 'kVA', 'power', 'Apparent power', (s) => (s.pf > 0 ? s.kw / s.pf : 0), ELEC);
    num(
      'PM_THD_I',
      '%',
      'other',
      'Current total harmonic distortion',
      (s) => (s.running ? 28 + 10 * (1 - Math.min(1, s.kw / ratedKw)) : 0),
      { noise: 0.5, resolution: 0.1, min: 0 },
    );
    num(
      'PM_THD_V',
      '%',
      'other',
      'Voltage total harmonic distortion',
      (s) => 1.6 + 1.4 * Math.min(1, s.kw / ratedKw),
      { noise: 0.05, resolution: 0.01, min: 0 },
    );
  }
  const s = `PS${setNo}`;
  table.add({
    tag: `${s}_CMD`,
    dataType: 'bool',
    quantity: 'status',
    description: `Pump set ${setNo} (model pump ${set.link}) run command (write: start/stop, switches to manual)`,
    source: { held: false },
    command: { kind: 'pump-run', link: set.link },
  });
  table.add({
    tag: `${s}_AUTO`,
    dataType: 'bool',
    quantity: 'status',
    description: `Pump set ${setNo} (model pump ${set.link}) in automatic`,
    source: { held: true },
    command: { kind: 'auto', link: set.link },
  });
  table.add({
    tag: `${s}_SPEED_SP`,
    dataType: 'float',
    unit: '%',
    quantity: 'setting',
    description: `Pump set ${setNo} (model pump ${set.link}) drive speed setpoint, 0–120 %`,
    source: { held: 100 },
    command: { kind: 'pump-speed', link: set.link },
  });
  return set.units;
}
