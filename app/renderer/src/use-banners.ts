// The error banner (stays until dismissed or the next action) and the info banner (goes after
// 2.5 s), shared with every screen through the app context. The error is kept as thrown and
// worded at render time, so the language switch reaches a banner already on screen.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { toShownError, type ShownError } from './components/error-text';
import type { Translate } from './i18n';

export function useBanners(t: Translate) {
  const [thrown, setThrown] = useState<{ err: unknown } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const error: ShownError | null = useMemo(() => (thrown ? toShownError(thrown.err, t) : null), [thrown, t]);
  const showError = useCallback((err: unknown) => {
    setInfo(null);
    setThrown({ err });
  }, []);
  const clearError = useCallback(() => setThrown(null), []);
  const showInfo = useCallback((m: string) => setInfo(m), []);
  useEffect(() => {
    if (!info) return;
    const timer = setTimeout(() => setInfo(null), 2500);
    return () => clearTimeout(timer);
  }, [info]);
  return { error, info, showError, clearError, showInfo };
}
