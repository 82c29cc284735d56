import { SimErrors } from '../errors.js';
import type { Actuation } from '../hydraulics/run.js';
import type { PointCommand } from './plant.js';
import type { PointValue } from './plant-runtime.js';

/** Relative speeds a pump drive accepts, in % of nominal. */
export const SPEED_RANGE = { min: 0, max: 120 } as const;

/**
 * What a written value means for the network. Starting or stopping a pump by hand takes it out
 * of automatic control, as a PLC's hand/auto switch does; otherwise the model's level control
 * would overrule the operator at its next check.
 */
export function actuationsFor(command: PointCommand, value: PointValue, tag: string): Actuation[] {
  switch (command.kind) {
    case 'pump-run':
      return [
        { kind: 'automatic', link: command.link, enabled: false },
        { kind: 'link-status', link: command.link, open: value === true || value === 1 },
      ];
    case 'auto':
      return [{ kind: 'automatic', link: command.link, enabled: value === true || value === 1 }];
    case 'pump-speed': {
      const pct = Number(value);
      if (!Number.isFinite(pct) || pct < SPEED_RANGE.min || pct > SPEED_RANGE.max)
        throw SimErrors.WRITE_REJECTED.create([
          tag,
          `speed ${pct} % is outside ${SPEED_RANGE.min}..${SPEED_RANGE.max} %`,
        ]);
      return [{ kind: 'pump-speed', link: command.link, speed: pct / 100 }];
    }
    case 'valve-setting': {
      const setting = Number(value);
      if (!Number.isFinite(setting) || setting < 0)
        throw SimErrors.WRITE_REJECTED.create([tag, `setting ${setting} must be a non-negative number`]);
      return [{ kind: 'link-setting', link: command.link, setting }];
    }
  }
}
