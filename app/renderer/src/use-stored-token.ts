// A session token kept in this tab's sessionStorage, so a reload (web mode) stays logged in.
// `keepToken` sets or forgets it on the API client and in storage together. `useRestoredToken`
// checks a stored token on mount with `auth.whoami`: valid → `restore(token, staff)`; refused →
// forgotten on both (a stale token must not stay on the client). It returns `restoring`, true
// until that answer, so the login screen does not flash up on a reload.
import { useEffect, useState } from 'react';
import type { StaffView } from '../../contract';
import type { ApiClient } from './api';

export function keepToken(api: ApiClient, key: string, token: string | null): void {
  api.setToken(token);
  if (token === null) sessionStorage.removeItem(key);
  else sessionStorage.setItem(key, token);
}

export function useRestoredToken(
  api: ApiClient,
  key: string,
  restore: (token: string, who: StaffView) => unknown,
): boolean {
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(key) !== null);
  useEffect(() => {
    const token = sessionStorage.getItem(key);
    if (!token) return;
    api.setToken(token);
    api
      .call('auth.whoami', {})
      .then(
        (r) => restore(token, r.staff),
        () => keepToken(api, key, null),
      )
      .finally(() => setRestoring(false));
  }, [api, key, restore]);
  return restoring;
}
