// Data a screen loads when it opens and again on `reload()`, for keys that act on it: `latest()`
// answers the last load, waiting for it while it is on its way, so a key pressed right after the
// screen opens (Insert, P) acts on the data rather than on an empty list. A failed load shows
// its error and answers `fallback`. `fetch` must be stable (useCallback).
import { useCallback, useEffect, useRef } from 'react';
import { useApp } from './app-context';

export function useLatestLoad<T>(fetch: () => Promise<T>, fallback: T): { reload(): Promise<T>; latest(): Promise<T> } {
  const { showError } = useApp();
  const last = useRef<Promise<T> | null>(null);
  // A value read when a load fails (a literal [] is new each render and must not reload).
  const onFailure = useRef(fallback);
  onFailure.current = fallback;
  const reload = useCallback(() => {
    const p = fetch().catch((err: unknown) => {
      showError(err);
      return onFailure.current;
    });
    last.current = p;
    return p;
  }, [fetch, showError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const latest = useCallback(() => last.current ?? reload(), [reload]);
  return { reload, latest };
}
