import { SimErrors } from '../errors.js';
import { ltownPlant } from './ltown-plant.js';
import { net3Plant } from './net3-plant.js';
import type { PlantDefinition } from './plant.js';

/** Every plant the simulator can serve, by id: the one explicit list. */
const PLANTS: Record<string, () => PlantDefinition> = {
  'net3-plant': net3Plant,
  'ltown-dma': ltownPlant,
};

export function plantIds(): string[] {
  return Object.keys(PLANTS);
}

export function plantDefinition(id: string): PlantDefinition {
  const make = PLANTS[id];
  if (!make) throw SimErrors.UNKNOWN_PLANT.create([id, plantIds().join(', ')]);
  return make();
}
