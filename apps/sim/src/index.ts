export {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
  type ServedPlant,
  type SimTick,
  type ServedMeters,
  type ServedConcentrator,
} from './simulator.js';
export {
  loadScenario,
  scenarioFile,
  SCENARIOS_DIR,
  REFERENCE_SCENARIO,
  SMALL_SCENARIO,
} from './scenario/scenarios.js';
export { DistrictSpec, StationSpec, ConcentratorSpec } from './scenario/city-schema.js';
export { buildStation, type StationDistrict } from './plants/station/build-station.js';
export { MeterPopulation, type PopulationOptions } from './meters/population.js';
export { diurnalFactor } from './meters/diurnal.js';
export { startMeterBus, type MeterBus, type MeterBusOptions } from './meters/meter-bus.js';
export { SimConfigSchema, loadSimConfig, PlantProtocol, type SimConfig } from './config.js';
export { ScenarioEvent, LeakEvent, PumpTripEvent, Duration, durationSeconds } from './scenario/events.js';
export type { GroundTruthRecord } from './scenario/ground-truth.js';
export { SimErrors } from './errors.js';
export {
  PlantTag,
  type PlantDefinition,
  type PlantPoint,
  type PointCommand,
  tagsOf,
} from './plants/plant.js';
export { net3Plant, net3PlantTags } from './plants/net3-plant.js';
export { ltownPlant, ltownPlantTags } from './plants/ltown-plant.js';
export { plantIds, plantDefinition } from './plants/catalog.js';
export type { PointValue } from './plants/plant-runtime.js';
export { resolveNetworksDir, networkPath, NETWORKS_DIR_ENV } from './hydraulics/networks.js';
export { HydraulicRun, type RunOptions, type Actuation } from './hydraulics/run.js';
export type { Measure, NodeQuantity, LinkQuantity } from './hydraulics/measure.js';
export type { ChlorineSetup } from './hydraulics/chlorine.js';
export { runTimeSeries, type SeriesOptions, type TimeSeries } from './hydraulics/series.js';
export { Sensor, type SensorSpec } from './signal/sensor.js';
export { parseTimeOfDay, formatSimTime } from './time-of-day.js';
