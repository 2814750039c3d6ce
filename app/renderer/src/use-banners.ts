// The error banner (stays until dismissed or the next action) and the info banner (goes after
// 2.5 s), shared with every screen through the app context.
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { toShownError, type ShownError } from './components/error-text';
import type { Translate } from './i18n';

export function useBanners(tRef: RefObject<Translate>) {
  const [error, setError] = useState<ShownError | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const showError = useCallback((err: unknown) => { setInfo(null); setError(toShownError(err, tRef.current)); }, [tRef]);
  const clearError = useCallback(() => setError(null), []);
  const showInfo = useCallback((m: string) => setInfo(m), []);
  useEffect(() => {
    if (!info) return;
    const timer = setTimeout(() => setInfo(null), 2500);
    return () => clearTimeout(timer);
  }, [info]);
  return { error, info, showError, clearError, showInfo };
}
