import { describe, expect, it } from 'vitest';
import { networkPath, resolveNetworksDir } from '../hydraulics/networks.js';
import { HydraulicRun } from '../hydraulics/run.js';
import { plantDefinition } from './catalog.js';
import { PlantRuntime } from './plant-runtime.js';

describe('PlantRuntime', () => {
  it('keeps one readings record per plant, updated in place tick after tick', async () => {
    const definition = plantDefinition('net3-plant');
    const run = await HydraulicRun.open(networkPath(resolveNetworksDir(), definition.network), {
      duration: 3600,
    });
    try {
      const runtime = new PlantRuntime(definition, run, 1);
      const tags = definition.points.map((p) => p.tag).sort();
      run.advanceTo(1);
      const first = runtime.sample(1, 1);
      const firstValues = { ...first };
      let last = first;
      for (let n = 2; n <= 600; n++) {
        run.advanceTo(n);
        last = runtime.sample(n, n);
      }
      // The same object every tick (a fresh one per tick is what V8 promoted and piled up in old
      // space), holding exactly the plant's tags, with this tick's readings in it.
      expect(last).toBe(first);
      expect(Object.keys(last).sort()).toEqual(tags);
      expect(last).not.toEqual(firstValues);
      expect(runtime.current()).toEqual(last);
      expect(runtime.current()).not.toBe(last);
    } finally {
      run.close();
    }
  });
});
