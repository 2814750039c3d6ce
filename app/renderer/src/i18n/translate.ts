// Looks strings up in the dictionary for the current language and fills `{name}` placeholders.
import type { Lang } from '../../../contract';
import { en, zhCN, type StringKey } from './strings';

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table: Record<StringKey, string> = lang === 'zh-CN' ? zhCN : en;
  return (key, params) => {
    const s = table[key] ?? en[key] ?? key;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

export function otherLang(lang: Lang): Lang {
  return lang === 'zh-CN' ? 'en' : 'zh-CN';
}
