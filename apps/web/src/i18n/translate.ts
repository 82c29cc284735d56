import { en, type Catalog, type MessageKey } from './en.js';
import { zh } from './zh.js';

export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];
export const CATALOGS: Readonly<Record<Lang, Catalog>> = { en, zh };
/** The BCP 47 tag for `<html lang>` and `Intl`: Simplified Chinese as used on the mainland. */
export const LOCALES: Readonly<Record<Lang, string>> = { en: 'en', zh: 'zh-CN' };

export type Params = Readonly<Record<string, string | number>>;
/** Looks a message up and fills its `{name}` parameters; what the components call `t`. */
export type Translate = (key: MessageKey, params?: Params) => string;

/**
 * Fills `{name}` in a template. Numbers are written the locale's way (1,234 / 1,234; the
 * grouping differs elsewhere); a parameter the caller did not give stays visible as `{name}`
 * so a missing argument shows on screen instead of vanishing.
 */
export function interpolate(template: string, params: Params | undefined, locale: string): string {
  if (params === undefined) return template;
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? numbers.format(v) : v;
  });
}

export function translator(lang: Lang): Translate {
  const catalog = CATALOGS[lang];
  const locale = LOCALES[lang];
  return (key, params) => interpolate(catalog[key], params, locale);
}

/** The English translator: for code outside React and for tests. */
export const tEn: Translate = translator('en');

/**
 * The language to start with: the one the user chose before (stored), else the browser's
 * preference — any Chinese variant (zh, zh-CN, zh-TW, zh-Hans…) gets Chinese — else English.
 */
export function pickLang(stored: string | null | undefined, navigatorLanguages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const l of navigatorLanguages) {
    const tag = l.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** Whether a computed key (e.g. `nav.${page}` for a page added later) is in the catalogs. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** `t(key)` for a key built at run time, else `fallback` (e.g. the English label a newer page brings). */
export function tOr(t: Translate, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

/**
 * A failure message for display: the few the console makes itself (api/client.ts, when no answer
 * came at all) in the chosen language; anything else is the server's and is shown as it came.
 */
export function errorText(t: Translate, message: string): string {
  return message === 'server unreachable' ? t('err.serverUnreachable') : message;
}
