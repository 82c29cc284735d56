import { Type } from 'typebox';

/**
 * A name that is safe as one MQTT topic level and one segment of a point id:
 * no '/', '+', '#' (MQTT wildcards, [MQTT-4.7.1]) and no '.', which joins point-id segments.
 */
export const Name = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'letters, digits, "_" or "-", 1 to 64 characters',
});

export const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function isName(s: string): boolean {
  return NAME_RE.test(s);
}
