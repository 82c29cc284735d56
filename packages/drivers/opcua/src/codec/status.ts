/**
 * StatusCode → sample quality. Part 4 §7.39: the two most significant bits are the severity —
 * 00 Good, 01 Uncertain, 10 Bad (11 is reserved and treated as Bad). The sub-code keeps its
 * meaning in `reason`, by name, so an operator sees `BadSensorFailure`, not a hex number.
 */
import type { Quality } from '@watershed/model';

export function qualityOf(statusCode: number): Quality {
  const severity = (statusCode >>> 30) & 0b11;
  return severity === 0 ? 'good' : severity === 1 ? 'uncertain' : 'bad';
}

/** A status code without its info bits (Part 4 §7.39 table 176: the low 16 bits). */
export function statusBase(statusCode: number): number {
  return (statusCode & 0xffff0000) >>> 0;
}
