// The screen language: kept per tab (sessionStorage), toggled with F11; until the cashier picks
// one, the till's configured language applies after login.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Lang } from '../../contract';
import { otherLang, translator } from './i18n';

const LANG_KEY = 'pos.lang';

export function useLang() {
  const [lang, setLang] = useState<Lang>(() => (sessionStorage.getItem(LANG_KEY) as Lang | null) ?? 'zh-CN');
  const t = useMemo(() => translator(lang), [lang]);
  // For callbacks that must not change identity with the language.
  const tRef = useRef(t);
  tRef.current = t;
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const toggleLang = useCallback(
    () =>
      setLang((l) => {
        const next = otherLang(l);
        sessionStorage.setItem(LANG_KEY, next);
        return next;
      }),
    [],
  );
  /** The till's configured language, unless this tab already chose one. */
  const adoptConfiguredLang = useCallback((configured: Lang) => {
    if (!sessionStorage.getItem(LANG_KEY)) setLang(configured);
  }, []);
  return { lang, t, tRef, toggleLang, adoptConfiguredLang };
}
