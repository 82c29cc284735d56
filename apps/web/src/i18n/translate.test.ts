import { describe, expect, it } from 'vitest';
import { en, type Catalog } from './en.js';
import { errorText, interpolate, isMessageKey, pickLang, tEn, translator } from './translate.js';
import { zh } from './zh.js';

const PARAM = /\{(\w+)\}/g;
const paramsOf = (s: string): string[] => [...s.matchAll(PARAM)].map((m) => m[1] ?? '').sort();

describe('catalogs', () => {
  it('zh has exactly the keys of en', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('every zh message takes the same parameters as its en message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, params: paramsOf(zh[key]) }).toEqual({ key, params: paramsOf(en[key]) });
    }
  });

  it('the Catalog type refuses a catalog with a key missing or one English does not have', () => {
    const { 'nav.alarms': dropped, ...rest } = zh;
    // @ts-expect-error — without 'nav.alarms' it is no Catalog
    const missing: Catalog = rest;
    // @ts-expect-error — nor with a key the English catalog lacks
    const extra: Catalog = { ...zh, 'nav.nowhere': 'x' };
    expect([dropped, Object.keys(missing).length, Object.keys(extra).length]).toEqual([
      '报警',
      Object.keys(en).length - 1,
      Object.keys(en).length + 1,
    ]);
  });

  it('no message is empty', () => {
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) {
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
    }
  });
});

describe('interpolate', () => {
  it('fills named parameters, as often as they occur', () => {
    expect(interpolate('{a} and {b}, {a}', { a: 'x', b: 'y' }, 'en')).toBe('x and y, x');
  });

  it('writes numbers the locale’s way', () => {
    expect(interpolate('{n} points', { n: 12345 }, 'en')).toBe('12,345 points');
    expect(interpolate('{n}', { n: 1234.5 }, 'de')).toBe('1.234,5');
  });

  it('leaves a parameter the caller did not give visible', () => {
    expect(interpolate('Hello {name}', {}, 'en')).toBe('Hello {name}');
  });

  it('returns a template without parameters unchanged', () => {
    expect(interpolate('{x}', undefined, 'en')).toBe('{x}');
  });
});

describe('translator', () => {
  it('answers in the chosen language', () => {
    expect(tEn('nav.alarms')).toBe('Alarms');
    expect(translator('zh')('nav.alarms')).toBe('报警');
    expect(translator('zh')('points.count', { count: 2500 })).toBe('共 2,500 个测点');
  });
});

describe('pickLang', () => {
  it('keeps a stored choice', () => {
    expect(pickLang('zh', ['en-US'])).toBe('zh');
    expect(pickLang('en', ['zh-CN'])).toBe('en');
  });

  it('ignores a stored value it does not know', () => {
    expect(pickLang('fr', ['zh-TW'])).toBe('zh');
  });

  it('takes any Chinese browser language as zh', () => {
    for (const l of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'ZH-cn']) expect(pickLang(null, [l])).toBe('zh');
  });

  it('takes the first language it knows, else English', () => {
    expect(pickLang(null, ['en-US', 'zh-CN'])).toBe('en');
    expect(pickLang(null, ['fr-FR', 'zh-CN'])).toBe('zh');
    expect(pickLang(null, ['fr-FR'])).toBe('en');
    expect(pickLang(undefined, [])).toBe('en');
    // "zhx" is no Chinese tag
    expect(pickLang(null, ['zhx'])).toBe('en');
  });
});

describe('isMessageKey', () => {
  it('knows the catalog’s keys and nothing else', () => {
    expect(isMessageKey('nav.alarms')).toBe(true);
    expect(isMessageKey('nav.nowhere')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
  });
});

describe('errorText', () => {
  it('words the console’s own failure in the chosen language and leaves the server’s as it came', () => {
    expect(errorText(translator('zh'), 'server unreachable')).toBe('服务器无法连接');
    expect(errorText(tEn, 'server unreachable')).toBe('server unreachable');
    expect(errorText(translator('zh'), 'WS_ERR_X: rule not found')).toBe('WS_ERR_X: rule not found');
  });
});
