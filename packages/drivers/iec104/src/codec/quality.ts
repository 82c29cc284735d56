/**
 * Quality descriptors to Watershed quality. IV (invalid) makes a sample `bad`; NT (not topical),
 * SB (substituted), BL (blocked) and OV (overflow) make it `uncertain` (IEC 60870-5-101 §7.2.6.3:
 * the value may still be used with care). For integrated totals the BCR's IV is `bad`, CY (carry)
 * and CA (counter adjusted) `uncertain` (§7.2.6.9). The flags go into `reason`, e.g. "IEC104_NT,SB".
 */
import type { Quality } from '@watershed/model';
import { BCR, QDS } from './elements.js';
import { TypeId, baseType } from './types.js';

export interface MappedQuality {
  quality: Quality;
  reason?: string;
}

const QDS_FLAGS: readonly [number, string][] = [
  [QDS.IV, 'IV'],
  [QDS.NT, 'NT'],
  [QDS.SB, 'SB'],
  [QDS.BL, 'BL'],
  [QDS.OV, 'OV'],
];
const BCR_FLAGS: readonly [number, string][] = [
  [BCR.IV, 'IV'],
  [BCR.CA, 'CA'],
  [BCR.CY, 'CY'],
];

export function mapQuality(typeId: number, bits: number | undefined): MappedQuality {
  if (!bits) return { quality: 'good' };
  const table = baseType(typeId) === TypeId.M_IT_NA_1 ? BCR_FLAGS : QDS_FLAGS;
  const flags = table.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
  if (flags.length === 0) return { quality: 'good' };
  return { quality: (bits & QDS.IV) !== 0 ? 'bad' : 'uncertain', reason: `IEC104_${flags.join(',')}` };
}
