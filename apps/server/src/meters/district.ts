import { isName } from '@watershed/model';
import type { WatershedError } from '@watershed/common';
import type { DistrictMapping } from './config.js';
import { MeterErrors } from './errors.js';
import type { MeterRegistry } from './meter-registry.js';

export type DistrictOutcome = { ok: true; district: string } | { ok: false; error: WatershedError };

/** Picks the district (the point id's site) of a vendor's meter, per the vendor's mapping. */
export type DistrictResolver = (payload: unknown, meter: string) => DistrictOutcome;

export function districtResolver(
  mapping: DistrictMapping,
  vendor: string,
  registry: MeterRegistry,
): DistrictResolver {
  const fallback = (meter: string, why: string): DistrictOutcome =>
    'fallback' in mapping && mapping.fallback !== undefined
      ? { ok: true, district: mapping.fallback }
      : { ok: false, error: MeterErrors.NO_DISTRICT.create([meter, why]) };
  switch (mapping.from) {
    case 'static': {
      const outcome: DistrictOutcome = { ok: true, district: mapping.district };
      return () => outcome;
    }
    case 'payload': {
      const keys = mapping.path.split('.');
      return (payload, meter) => {
        let v: unknown = payload;
        for (const k of keys) {
          v =
            typeof v === 'object' && v !== null && Object.prototype.hasOwnProperty.call(v, k)
              ? (v as Record<string, unknown>)[k]
              : undefined;
        }
        if (v === undefined || v === null || v === '')
          return fallback(meter, `field "${mapping.path}" is missing`);
        const district = typeof v === 'number' ? String(v) : v;
        if (typeof district !== 'string' || !isName(district))
          return {
            ok: false,
            error: MeterErrors.BAD_DISTRICT.create([meter, JSON.stringify(district) ?? typeof district]),
          };
        return { ok: true, district };
      };
    }
    case 'registry': {
      const assignments = new Map(Object.entries(mapping.assignments ?? {}));
      return (_payload, meter) => {
        const district = assignments.get(meter) ?? registry.find(vendor, meter)?.district;
        return district !== undefined
          ? { ok: true, district }
          : fallback(meter, 'not assigned in meters config and not registered');
      };
    }
  }
}
