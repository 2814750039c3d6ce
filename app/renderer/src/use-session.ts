// The cashier's session: log in (then config, shift and the float prompt), restore after a
// reload, log out (also when the core says the session is gone), and while logged in the live
// event stream and the status poll that notices the host coming back.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Lang, Shift, StaffView, TerminalStatus, TillConfig, TillEvent } from '../../contract';
import type { ApiClient } from './api';
import type { Ask } from './components/prompt';
import type { Translate } from './i18n';
import { dispatchScan } from './input';
import { askFloat } from './screens/shift-screen';
import { keepToken, useRestoredToken } from './use-stored-token';

const TOKEN_KEY = 'pos.session';

export interface SessionDeps {
  api: ApiClient;
  ask: Ask;
  tRef: RefObject<Translate>;
  showError(err: unknown): void;
  clearError(): void;
  onConfiguredLang(lang: Lang): void;
  /** Called after login with the staff member's first screen. */
  onLoggedIn(who: StaffView): void;
}

export function useSession({ api, ask, tRef, showError, clearError, onConfiguredLang, onLoggedIn }: SessionDeps) {
  const [staff, setStaff] = useState<StaffView | null>(null);
  const [config, setConfig] = useState<TillConfig | null>(null);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const listeners = useRef(new Set<(ev: TillEvent) => void>());

  const subscribe = useCallback((cb: (ev: TillEvent) => void) => {
    listeners.current.add(cb);
    return () => {
      listeners.current.delete(cb);
    };
  }, []);

  const logout = useCallback(
    (callCore = true) => {
      if (callCore) void api.call('auth.logout', {}).catch(() => undefined);
      keepToken(api, TOKEN_KEY, null);
      setStaff(null);
      setConfig(null);
      setShift(undefined);
      setStatus(null);
      clearError();
    },
    [api, clearError],
  );
  useEffect(() => api.onSessionLost(() => logout(false)), [api, logout]);

  const afterLogin = useCallback(
    async (token: string, who: StaffView, fresh: boolean) => {
      keepToken(api, TOKEN_KEY, token);
      // A manager reset this PIN: nothing else works until the staff member chooses their own.
      if (who.mustChangePin) {
        const t = tRef.current;
        const chosen = await ask({
          title: t('staff.newPinTitle'),
          message: t('staff.newPinMessage'),
          testid: 'new-pin-dialog',
          fields: [
            { name: 'pin', label: t('staff.newPin'), kind: 'pin', testid: 'new-pin' },
            { name: 'again', label: t('staff.newPinAgain'), kind: 'pin', testid: 'new-pin-again' },
          ],
          onSubmit: async (v) => {
            if (v['pin'] !== v['again']) throw new Error(t('staff.pinMismatch'));
            await api.call('auth.setPin', { pin: v['pin'] ?? '' });
          },
        });
        if (!chosen) {
          logout();
          return;
        }
        who = { id: who.id, name: who.name, role: who.role };
      }
      setStaff(who);
      clearError();
      onLoggedIn(who);
      try {
        const cfg = (await api.call('config.get', {})).config;
        setConfig(cfg);
        onConfiguredLang(cfg.lang);
      } catch (err) {
        showError(err);
      }
      if (who.role === 'technician') return;
      try {
        const s = (await api.call('shift.current', {})).shift;
        setShift(s);
        if (s === null && fresh) {
          await askFloat(ask, tRef.current, async (float) => {
            setShift((await api.call('shift.open', { float })).shift);
          });
        }
      } catch (err) {
        showError(err);
      }
    },
    [api, ask, showError, clearError, onConfiguredLang, onLoggedIn, tRef, logout],
  );
  // A reload in web mode keeps the session of this tab.
  const restore = useCallback((token: string, who: StaffView) => afterLogin(token, who, false), [afterLogin]);
  const restoring = useRestoredToken(api, TOKEN_KEY, restore);

  // Live events and a status poll while logged in; the poll is what notices the host coming back.
  useEffect(() => {
    if (!staff) return;
    const stop = api.events((ev) => {
      if (ev.type === 'sync.status') setStatus((s) => (s ? { ...s, sync: ev.sync } : s));
      if (ev.type === 'device.status') {
        setStatus((s) => (s ? { ...s, devices: [...s.devices.filter((d) => d.id !== ev.device.id), ev.device] } : s));
      }
      // A hardware scanner the till reads directly scans like the keyboard wedge.
      if (ev.type === 'device.scan') dispatchScan(ev.scan.data);
      for (const l of listeners.current) l(ev);
    });
    return stop;
  }, [api, staff]);
  useEffect(() => {
    if (!staff) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const s = await api.call('system.status', {});
        if (!cancelled) setStatus(s);
      } catch {
        /* offline shows in the bar */
      }
      if (!cancelled) timer = setTimeout(poll, api.isOnline ? 10_000 : 3_000);
    };
    void poll();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, staff]);

  const requireShift = useCallback(async (): Promise<boolean> => {
    try {
      const s = (await api.call('shift.current', {})).shift;
      setShift(s);
      if (s) return true;
      return await askFloat(ask, tRef.current, async (float) => {
        setShift((await api.call('shift.open', { float })).shift);
      });
    } catch (err) {
      showError(err);
      return false;
    }
  }, [api, ask, tRef, showError]);

  return { staff, config, status, shift, setShift, restoring, subscribe, logout, afterLogin, requireShift };
}
