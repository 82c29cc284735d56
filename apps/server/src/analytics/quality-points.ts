import type { RoleMapping } from '@watershed/alarms';
import type { Point } from '@watershed/model';
import type { QualityParameter, SamplingRole } from '@watershed/water';
import { isWorksNode } from './districts.js';

export interface QualityPoint {
  point: string;
  site: string;
  parameter: QualityParameter;
  role: SamplingRole;
}

const PANEL_TAG = /^Q\d+_(CL|TURB|PH)$/;
const PARAMETER_OF_TAG: Record<string, QualityParameter> = { CL: 'chlorine', TURB: 'turbidity', PH: 'ph' };
const PARAMETERS = new Set<string>(['chlorine', 'turbidity', 'ph']);

/**
 * The points GB 5749 compliance is reported on: those configured (or mapped for the alarms
 * rule set — the same mapping, so alarms and compliance judge the same points), else by
 * convention the quality panels of the reference stations, `Q<n>_CL|TURB|PH`: at a treatment
 * works of the site (`isWorksNode`) they sample 出厂水 (plant-outlet), anywhere else 末梢水
 * (network-end).
 */
export function qualityPoints(
  points: readonly Point[],
  mapping: readonly RoleMapping[] | undefined,
): QualityPoint[] {
  if (mapping && mapping.length > 0) {
    const known = new Map(points.map((p) => [p.id, p]));
    return mapping
      .filter((m) => PARAMETERS.has(m.quantity))
      .map((m) => ({
        point: m.point,
        site: known.get(m.point)?.site ?? m.point.split('.')[0]!,
        parameter: m.quantity as QualityParameter,
        role: m.role,
      }));
  }
  const out: QualityPoint[] = [];
  for (const p of points) {
    const m = PANEL_TAG.exec(p.tag);
    if (!m) continue;
    out.push({
      point: p.id,
      site: p.site,
      parameter: PARAMETER_OF_TAG[m[1]!]!,
      role: isWorksNode(p.site, p.node) ? 'plant-outlet' : 'network-end',
    });
  }
  return out;
}
