// The error banner (stays until dismissed or the next action) and the info banner (goes after
// 2.5 s), shared with every screen through the app context. The error is kept as thrown and
// worded at render time, so the language switch reaches a banner already on screen; an info
// given as words-for-a-language (`(t) => t('key')`) follows F11 the same way (issue 13 item 10).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toShownError, type ShownError } from './components/error-text';
import type { Translate } from './i18n';

/** An info line: words already chosen, or words for whichever language the till shows. */
export type InfoText = string | ((t: Translate) => string);

export function useBanners(t: Translate) {
  const [thrown, setThrown] = useState<{ err: unknown } | null>(null);
  const [infoSaid, setInfo] = useState<InfoText | null>(null);
  const info = useMemo(() => (typeof infoSaid === 'function' ? infoSaid(t) : infoSaid), [infoSaid, t]);
  const error: ShownError | null = useMemo(() => (thrown ? toShownError(thrown.err, t) : null), [thrown, t]);
  const showError = useCallback((err: unknown) => {
    setInfo(null);
    setThrown({ err });
  }, []);
  const clearError = useCallback(() => setThrown(null), []);
  const showInfo = useCallback((m: InfoText) => setInfo(() => m), []);
  useEffect(() => {
    if (!infoSaid) return;
    const timer = setTimeout(() => setInfo(null), 2500);
    return () => clearTimeout(timer);
  }, [infoSaid]);
  return { error, info, showError, clearError, showInfo };
}
