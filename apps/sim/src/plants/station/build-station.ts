import { junctionIds, linkFacts, tankFacts } from '../../hydraulics/elements.js';
import type { HydraulicRun } from '../../hydraulics/run.js';
import { KPA_PER_M, PSI_PER_FT } from '../../hydraulics/units.js';
import { SimErrors } from '../../errors.js';
import { LinkType } from '../../hydraulics/toolkit-codes.js';
import { streamOf, uniform } from '../../signal/prng.js';
import type { StationSpec } from '../../scenario/city-schema.js';
import type { PlantDefinition } from '../plant.js';
import { addFlowMeter, addLogger, addTank, addValve } from './network-equipment.js';
import { PointTable } from './point-table.js';
import { addPumpSet } from './pumps.js';
import { addAnalysers, addDosing, addFilter, addSite } from './works-equipment.js';

/** The district a station is built in. */
export interface StationDistrict {
  readonly id: string;
  readonly network: string;
  readonly run: HydraulicRun;
  /** The district simulates free chlorine (analysers read the model's residual). */
  readonly chlorine: boolean;
}

/**
 * Builds a station's PLC from its equipment list, against its district's model (element ids are
 * checked here, so a scenario naming a missing pump fails at start). The tag table depends on the
 * scenario only, never on the seed: the same YAML always gives the same tags and addresses.
 * Installed-base values (counters' starting points) come from the station id, not the seed.
 */
export function buildStation(spec: StationSpec, district: StationDistrict): PlantDefinition {
  const run = district.run;
  const table = new PointTable(spec.unitId);
  const history = (what: string): number => 0.2 + 0.8 * uniform(0, streamOf(`${spec.id}.${what}`), 0);
  addSite(table, spec.id);
  let unit = 1;
  spec.pumps.forEach((p, i) => {
    const facts = linkFacts(run, p.link);
    if (facts.type !== LinkType.Pump)
      throw SimErrors.PLANT_INVALID.create([spec.id, `pumps: link ${p.link} is not a pump`]);
    const duty = Math.max(1, p.units - 1);
    const now = run.prev;
    const flow = run.valueAt(run.bind({ link: p.link, quantity: 'flow' }), now.time);
    const gain =
      run.valueAt(run.bind({ node: facts.to, quantity: 'head' }), now.time) -
      run.valueAt(run.bind({ node: facts.from, quantity: 'head' }), now.time);
    // Rated at the duty point the model shows after warm-up, unless the scenario says otherwise.
    const ratedFlow = p.ratedFlow ?? (flow > 1 ? flow / duty : 150);
    const ratedHead = p.ratedHead ?? (gain > 1 ? gain : 40);
    unit += addPumpSet(
      table,
      { link: p.link, units: p.units, ratedFlow, ratedHead, volts: p.volts, from: facts.from, to: facts.to },
      unit,
      i + 1,
      (k) => history(`P${unit + k}`),
    );
  });
  spec.valves.forEach((link, i) => {
    const facts = linkFacts(run, link);
    const setting = run.valueAt(run.bind({ link, quantity: 'setting' }), run.prev.time);
    // Setpoints in SI: the model's pressure settings are in m (SI) or psi (US).
    const u = run.units;
    const si =
      facts.type === LinkType.FCV
        ? setting * u.flowToM3h
        : (u.us ? (setting / PSI_PER_FT) * u.lengthToM : setting) * KPA_PER_M;
    addValve(table, i + 1, facts, Math.round(si * 100) / 100);
  });
  spec.flowMeters.forEach((link, i) =>
    addFlowMeter(table, i + 1, linkFacts(run, link), history(`FT${i + 1}`)),
  );
  spec.tanks.forEach((node, i) => addTank(table, i + 1, tankFacts(run, node), district.chlorine));
  spec.analysers.forEach((node, i) => {
    run.bind({ node, quantity: 'quality' });
    addAnalysers(table, i + 1, node, district.chlorine);
  });
  spec.dosing.forEach((d, i) => {
    linkFacts(run, d.link);
    addDosing(table, i + 1, d.link, d.dose);
  });
  if (spec.filters) {
    linkFacts(run, spec.filters.link);
    for (let i = 1; i <= spec.filters.count; i++) addFilter(table, i, spec.filters.count, spec.filters.link);
  }
  loggerNodes(run, spec.id, spec.loggers).forEach((node, i) => addLogger(table, i + 1, node));
  return {
    id: spec.id,
    site: district.id,
    name: spec.name,
    network: district.network,
    district: district.id,
    unitId: spec.unitId,
    noiseScope: spec.id,
    points: table.points,
  };
}

/**
 * `count` junctions spread evenly over the model's junction list from an offset fixed by the
 * station id, so two stations of a district mostly watch different parts of it.
 */
function loggerNodes(run: HydraulicRun, stationId: string, count: number): string[] {
  if (count === 0) return [];
  const all = junctionIds(run);
  const n = Math.min(count, all.length);
  const offset = streamOf(stationId) % all.length;
  const out: string[] = [];
  for (let k = 0; k < n; k++) out.push(all[(offset + Math.floor((k * all.length) / n)) % all.length]!);
  return out;
}
