import type { PlantProtocol, SimConfig } from '../config.js';
import { SimErrors } from '../errors.js';
import { networkPath } from '../hydraulics/networks.js';
import { HydraulicRun } from '../hydraulics/run.js';
import { plantDefinition } from '../plants/catalog.js';
import type { PlantDefinition } from '../plants/plant.js';
import { buildStation } from '../plants/station/build-station.js';

/** A plant to serve: its definition, the run of its district and the protocol its PLC speaks. */
export interface CityPlant {
  readonly definition: PlantDefinition;
  readonly run: HydraulicRun;
  readonly protocol: PlantProtocol;
}

/**
 * Opens the city: one hydraulic run per district (the configured districts, then one per network
 * of the catalog plants, named after the network), each warmed up to `simStart`; then the
 * catalog plants and the stations built against their district's run. Runs go into `runs` as
 * they open, keyed by district, so the caller can close them if a later step fails.
 */
export async function openCity(
  opts: SimConfig,
  dir: string,
  simStart: number,
  runs: Map<string, HydraulicRun>,
): Promise<CityPlant[]> {
  const chlorinated = new Set<string>();
  const open = async (
    key: string,
    network: string,
    extra: Partial<Parameters<typeof HydraulicRun.open>[1]>,
  ): Promise<HydraulicRun> => {
    const existing = runs.get(key);
    if (existing) return existing;
    const run = await HydraulicRun.open(networkPath(dir, network), {
      hydraulicStep: opts.hydraulicStep,
      ...extra,
    });
    runs.set(key, run);
    run.advanceTo(simStart);
    return run;
  };
  for (const d of opts.districts) {
    if (runs.has(d.id)) throw SimErrors.PLANT_INVALID.create([d.id, 'district id used twice']);
    if (d.chlorine) chlorinated.add(d.id);
    await open(d.id, d.network, d.chlorine ? { chlorine: d.chlorine, replaceChemical: true } : {});
  }
  const plants: CityPlant[] = [];
  for (const id of opts.plants) {
    const definition = plantDefinition(id);
    const run = await open(
      definition.district ?? definition.network,
      definition.network,
      definition.chlorine ? { chlorine: definition.chlorine } : {},
    );
    plants.push({ definition, run, protocol: opts.protocols[id] ?? 'modbus-tcp' });
  }
  for (const spec of opts.stations) {
    const district = opts.districts.find((d) => d.id === spec.district);
    const run = runs.get(spec.district);
    if (!district || !run)
      throw SimErrors.UNKNOWN_ELEMENT.create(['district', spec.district, `the scenario's districts`]);
    const definition = buildStation(spec, {
      id: district.id,
      network: district.network,
      run,
      chlorine: chlorinated.has(district.id),
    });
    plants.push({ definition, run, protocol: opts.protocols[spec.id] ?? spec.protocol });
  }
  const seen = new Set<string>();
  for (const { definition } of plants) {
    if (seen.has(definition.id)) throw SimErrors.PLANT_INVALID.create([definition.id, 'plant id used twice']);
    seen.add(definition.id);
  }
  return plants;
}
