import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LOCALES, pickLang, translator, type Lang, type Translate } from './translate.js';

/** Where the user's choice is kept between visits. */
export const LANG_STORAGE_KEY = 'watershed.lang';

export interface I18n {
  lang: Lang;
  /** The BCP 47 locale for `Intl`: 'en' or 'zh-CN'. */
  locale: string;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** A count or measurement written the locale's way (Intl.NumberFormat). */
  formatNumber: (n: number) => string;
}

const I18nContext = createContext<I18n>({
  lang: 'en',
  locale: LOCALES.en,
  setLang: () => undefined,
  t: translator('en'),
  formatNumber: numberFormatter(LOCALES.en),
});

function numberFormatter(locale: string): (n: number) => string {
  const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  return (n) => f.format(n);
}

function readStored(): string | null {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, policy): fall back to the browser's language
  }
}

function initialLang(): Lang {
  return pickLang(readStored(), [navigator.language, ...navigator.languages]);
}

/**
 * The chosen language for the whole page. It keeps `<html lang>` in step, so screen readers,
 * hyphenation and the browser's font choice for CJK text follow the switch.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      // Not remembered across visits, but the switch still works for this one.
    }
  }, []);
  const locale = LOCALES[lang];
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({ lang, locale, setLang, t: translator(lang), formatNumber: numberFormatter(locale) }),
    [lang, locale, setLang],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** The `t(key, params)` of the chosen language. */
export function useT(): Translate {
  return useContext(I18nContext).t;
}
