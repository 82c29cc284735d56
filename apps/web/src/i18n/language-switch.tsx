import { useI18n } from './i18n-context.js';
import { LANGS, type Lang } from './translate.js';
import './i18n.css';

/** Each language names itself, so a user who cannot read the current one still finds theirs. */
const NAMES: Record<Lang, { label: string; tag: string }> = {
  en: { label: 'EN', tag: 'en' },
  zh: { label: '中文', tag: 'zh-CN' },
};

/** EN / 中文, in the header. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div
      className="segmented lang-switch"
      role="radiogroup"
      aria-label={t('lang.switch')}
      data-testid="lang-switch"
    >
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          role="radio"
          lang={NAMES[l].tag}
          aria-checked={l === lang}
          className={l === lang ? 'is-active' : ''}
          onClick={() => setLang(l)}
        >
          {NAMES[l].label}
        </button>
      ))}
    </div>
  );
}
