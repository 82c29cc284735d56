import type { Logger } from '@watershed/common';
import type { PlantProtocol } from '../config.js';
import type { HydraulicRun } from '../hydraulics/run.js';
import type { PlantDefinition, PlantPoint } from '../plants/plant.js';
import type { Overlay, PlantRuntime } from '../plants/plant-runtime.js';
import type { PlantServer } from '../plants/serve-plant.js';
import type { PlantTargets } from '../scenario/plant-events.js';

export interface LivePlant {
  readonly definition: PlantDefinition;
  readonly runtime: PlantRuntime;
  readonly protocol: PlantProtocol;
  /** The server answering now; undefined while a communication outage holds it down. */
  server: PlantServer | undefined;
  readonly run: HydraulicRun;
}

/**
 * The running plants as scenario events see them. A communication outage closes the plant's
 * protocol server — clients get no answer, their connections drop — and the outage's end starts
 * it again on the same port (`restart`). Both run in the background in order, one chain per
 * simulator: `settled()` resolves once every pending close and restart is done.
 */
export class LivePlants implements PlantTargets {
  readonly #plants: readonly LivePlant[];
  readonly #restart: (plant: LivePlant, port: number) => Promise<PlantServer>;
  readonly #logger: Logger;
  readonly #ports = new Map<string, number>();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    plants: readonly LivePlant[],
    restart: (plant: LivePlant, port: number) => Promise<PlantServer>,
    logger: Logger,
  ) {
    this.#plants = plants;
    this.#restart = restart;
    this.#logger = logger;
  }

  #find(id: string): LivePlant | undefined {
    return this.#plants.find((p) => p.definition.id === id);
  }

  districtOf(plant: string): string | undefined {
    const p = this.#find(plant);
    return p ? (p.definition.district ?? p.definition.network) : undefined;
  }

  point(plant: string, tag: string): PlantPoint | undefined {
    return this.#find(plant)?.definition.points.find((p) => p.tag === tag);
  }

  tags(plant: string): readonly string[] {
    return this.#find(plant)?.definition.points.map((p) => p.tag) ?? [];
  }

  overlay(plant: string, tag: string, overlay: Overlay | undefined): void {
    this.#find(plant)?.runtime.setOverlay(tag, overlay);
  }

  outage(plant: string, down: boolean): void {
    const p = this.#find(plant);
    if (!p) return;
    this.#chain = this.#chain.then(async () => {
      try {
        if (down && p.server) {
          const server = p.server;
          this.#ports.set(plant, server.port);
          p.server = undefined;
          await server.close();
        } else if (!down && !p.server) {
          p.server = await this.#restart(p, this.#ports.get(plant) ?? 0);
        }
      } catch (err) {
        this.#logger.error({ err, plant, down }, 'communication outage: server change failed');
      }
    });
  }

  /** Resolves when every outage change asked for so far is done (never rejects). */
  settled(): Promise<void> {
    return this.#chain;
  }
}
