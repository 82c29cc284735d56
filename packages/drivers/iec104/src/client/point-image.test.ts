import { describe, expect, it } from 'vitest';
import type { Iec104Address } from '../address.js';
import { TypeId } from '../codec/types.js';
import { PointImage, toSample, type ImageEntry } from './point-image.js';

const at = (typeId: number, ioa = 1): Iec104Address => ({
  kind: 'monitor',
  typeId: typeId as never,
  ioa,
  sbo: false,
});
const entry = (
  typeId: number,
  value: number | boolean,
  extra: Partial<ImageEntry['object']> = {},
): ImageEntry => ({
  typeId,
  object: { ioa: 1, value, quality: 0, ...extra },
  receivedAt: 1000,
});

describe('point image samples', () => {
  it('uses a valid time tag as the sample time, else the time of receipt', () => {
    expect(
      toSample(entry(TypeId.M_ME_TF_1, 1.5, { time: 500, timeInvalid: false }), at(TypeId.M_ME_NC_1), false),
    ).toEqual({
      ts: 500,
      value: 1.5,
      quality: 'good',
    });
    expect(
      toSample(entry(TypeId.M_ME_TF_1, 1.5, { time: 500, timeInvalid: true }), at(TypeId.M_ME_NC_1), false)
        .ts,
    ).toBe(1000);
  });

  it('reads double points as bool ON/OFF, or as the raw DPI for numeric tags (101 §7.2.6.2)', () => {
    const dp = at(TypeId.M_DP_NA_1);
    expect(toSample(entry(TypeId.M_DP_NA_1, 2), dp, true).value).toBe(true);
    expect(toSample(entry(TypeId.M_DP_NA_1, 1), dp, true).value).toBe(false);
    expect(toSample(entry(TypeId.M_DP_NA_1, 0), dp, true)).toEqual({
      ts: 1000,
      value: null,
      quality: 'uncertain',
      reason: 'IEC104_DPI_INTERMEDIATE',
    });
    expect(toSample(entry(TypeId.M_DP_NA_1, 3, { quality: 0x80 }), dp, true)).toMatchObject({
      quality: 'bad',
      reason: 'IEC104_IV,IEC104_DPI_INDETERMINATE',
    });
    expect(toSample(entry(TypeId.M_DP_NA_1, 3), dp, false).value).toBe(3);
  });

  it('accepts any measured-value type for a measured-value tag, but not a point of another kind', () => {
    expect(toSample(entry(TypeId.M_ME_NB_1, 42), at(TypeId.M_ME_NC_1), false).value).toBe(42);
    expect(toSample(entry(TypeId.M_SP_TB_1, true), at(TypeId.M_ME_NC_1), false)).toMatchObject({
      quality: 'bad',
      reason: 'WS_ERR_IEC104_TYPE_MISMATCH',
    });
  });

  it('tells listeners about every update and forgets everything on clear', () => {
    const image = new PointImage();
    const heard: number[] = [];
    const stop = image.listen((ioa) => heard.push(ioa));
    image.update(TypeId.M_SP_NA_1, { ioa: 7, value: true }, 1);
    image.update(TypeId.M_SP_NA_1, { ioa: 7, value: false }, 2);
    stop();
    image.update(TypeId.M_SP_NA_1, { ioa: 8, value: false }, 3);
    expect(heard).toEqual([7, 7]);
    expect(image.get(7)?.object.value).toBe(false);
    image.clear();
    expect(image.size).toBe(0);
  });
});
