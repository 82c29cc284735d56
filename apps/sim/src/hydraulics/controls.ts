import type { EpanetToolkit as Project } from './toolkit-api.js';
import { ControlType, CountType } from './toolkit-codes.js';
import { epanetCall } from './epanet.js';

/**
 * Rewrites simple `AT TIME` controls (elapsed time, fire once) as `AT CLOCKTIME` controls
 * (time of day, fire every day) with the same seconds. The example networks start at 12 am and
 * are written for one day — Net3's "Lake source operates only part of the day" is
 * `Link 10 OPEN AT TIME 1` — so for a simulator that runs for days this keeps the intended
 * daily schedule instead of letting it happen once. Returns how many controls changed.
 */
export function makeTimersDaily(project: Project): number {
  return epanetCall('converting timer controls', () => {
    let changed = 0;
    const count = project.getCount(CountType.ControlCount);
    for (let i = 1; i <= count; i++) {
      const c = project.getControl(i);
      if (c.type !== ControlType.Timer) continue;
      project.setControl(i, ControlType.TimeOfDay, c.linkIndex, c.setting, 0, c.level % 86_400);
      changed++;
    }
    return changed;
  });
}

/** Indices (1-based) of the simple controls that act on a link. */
export function controlsOfLink(project: Project, linkIndex: number): number[] {
  const out: number[] = [];
  const count = project.getCount(CountType.ControlCount);
  for (let i = 1; i <= count; i++) if (project.getControl(i).linkIndex === linkIndex) out.push(i);
  return out;
}
