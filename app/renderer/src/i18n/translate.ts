// Looks strings up in the dictionary for the current language and fills `{name}` placeholders.
import type { Lang } from '../../../contract';
import { en, zhCN, type StringKey } from './strings';

/** Looks a key up in one language; `lang` lets error display pick the same language for error codes. */
export type Translate = ((key: StringKey, params?: Record<string, string | number>) => string) & {
  readonly lang: Lang;
};

export function translator(lang: Lang): Translate {
  const table: Record<StringKey, string> = lang === 'zh-CN' ? zhCN : en;
  const t = (key: StringKey, params?: Record<string, string | number>): string => {
    const s = table[key] ?? en[key] ?? key;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
  return Object.assign(t, { lang });
}

export function otherLang(lang: Lang): Lang {
  return lang === 'zh-CN' ? 'en' : 'zh-CN';
}
