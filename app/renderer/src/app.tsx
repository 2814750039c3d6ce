// App shell: session, language, navigation between screens, banners, status bar, and the
// global keyboard (wedge scanner listener + function-key router).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Lang, Shift, StaffView, TerminalStatus, TillConfig, TillEvent } from '../../contract';
import type { ApiClient } from './api';
import { AppContext, LAYER, useKeyScope, type AppCtx } from './app-context';
import { syncProblemText, toShownError, type ShownError } from './components/error-text';
import { StatusBar } from './components/status-bar';
import { usePrompt } from './components/prompt';
import { otherLang, translator } from './i18n';
import { dispatchScan, startKeyRouter, startWedgeListener, type WedgeConfig } from './input';
import { LoginScreen } from './screens/login-screen';
import { TillScreen } from './screens/till-screen';
import { ReturnsScreen } from './screens/returns-screen';
import { ShiftScreen, askFloat } from './screens/shift-screen';
import { BackOfficeScreen } from './screens/back-office-screen';
import { SetupScreen } from './screens/setup-screen';

type Screen = 'till' | 'returns' | 'shift' | 'backoffice' | 'setup';

const DEFAULT_WEDGE: WedgeConfig = { prefix: '', suffix: '', maxInterKeyMs: 40, minLength: 6 };
const TOKEN_KEY = 'pos.session';
const LANG_KEY = 'pos.lang';

function screensFor(staff: StaffView | null): Screen[] {
  if (!staff) return [];
  if (staff.role === 'technician') return ['setup'];
  if (staff.role === 'manager') return ['till', 'returns', 'shift', 'backoffice', 'setup'];
  return ['till', 'returns', 'shift'];
}

const NAV: Record<Screen, { label: 'nav.till' | 'nav.returns' | 'nav.shift' | 'nav.backOffice' | 'nav.setup'; key: string }> = {
  till: { label: 'nav.till', key: 'Esc' },
  returns: { label: 'nav.returns', key: 'F3' },
  shift: { label: 'nav.shift', key: 'F10' },
  backoffice: { label: 'nav.backOffice', key: 'Alt+B' },
  setup: { label: 'nav.setup', key: 'Alt+S' },
};

export function App({ api }: { api: ApiClient }) {
  const [lang, setLang] = useState<Lang>(() => (sessionStorage.getItem(LANG_KEY) as Lang | null) ?? 'zh-CN');
  const [staff, setStaff] = useState<StaffView | null>(null);
  const [config, setConfig] = useState<TillConfig | null>(null);
  const [screen, setScreen] = useState<Screen>('till');
  const [online, setOnline] = useState(api.isOnline);
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  // The error as thrown; its words are made at render time, so the language switch reaches them.
  const [thrown, setThrown] = useState<{ err: unknown } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(() => sessionStorage.getItem(TOKEN_KEY) !== null);
  const listeners = useRef(new Set<(ev: TillEvent) => void>());
  const wedge = useRef<ReturnType<typeof startWedgeListener> | null>(null);
  const [ask, promptEl] = usePrompt();

  const t = useMemo(() => translator(lang), [lang]);
  const error: ShownError | null = useMemo(() => (thrown ? toShownError(thrown.err, t) : null), [thrown, t]);
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    wedge.current = startWedgeListener(DEFAULT_WEDGE);
    const stopRouter = startKeyRouter();
    return () => { wedge.current?.stop(); stopRouter(); };
  }, []);
  useEffect(() => { if (config) wedge.current?.configure(config.wedge); }, [config]);
  useEffect(() => api.onOnlineChange(setOnline), [api]);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);

  const showError = useCallback((err: unknown) => { setInfo(null); setThrown({ err }); }, []);
  const clearError = useCallback(() => setThrown(null), []);
  const showInfo = useCallback((m: string) => setInfo(m), []);
  useEffect(() => {
    if (!info) return;
    const timer = setTimeout(() => setInfo(null), 2500);
    return () => clearTimeout(timer);
  }, [info]);
  const subscribe = useCallback((cb: (ev: TillEvent) => void) => {
    listeners.current.add(cb);
    return () => { listeners.current.delete(cb); };
  }, []);

  const toggleLang = useCallback(() => setLang((l) => {
    const next = otherLang(l);
    sessionStorage.setItem(LANG_KEY, next);
    return next;
  }), []);

  const logout = useCallback((callCore = true) => {
    if (callCore) void api.call('auth.logout', {}).catch(() => undefined);
    api.setToken(null);
    sessionStorage.removeItem(TOKEN_KEY);
    setStaff(null);
    setConfig(null);
    setShift(undefined);
    setStatus(null);
    setThrown(null);
  }, [api]);
  useEffect(() => api.onSessionLost(() => logout(false)), [api, logout]);

  const afterLogin = useCallback(async (token: string, who: StaffView, fresh: boolean) => {
    api.setToken(token);
    sessionStorage.setItem(TOKEN_KEY, token);
    setStaff(who);
    setThrown(null);
    setScreen(who.role === 'technician' ? 'setup' : 'till');
    try {
      const cfg = (await api.call('config.get', {})).config;
      setConfig(cfg);
      if (!sessionStorage.getItem(LANG_KEY)) setLang(cfg.lang);
    } catch (err) { showError(err); }
    if (who.role === 'technician') return;
    try {
      const s = (await api.call('shift.current', {})).shift;
      setShift(s);
      if (s === null && fresh) {
        await askFloat(ask, tRef.current, async (float) => { setShift((await api.call('shift.open', { float })).shift); });
      }
    } catch (err) { showError(err); }
  }, [api, ask, showError]);

  // A reload in web mode keeps the session of this tab.
  useEffect(() => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return;
    api.setToken(token);
    api.call('auth.whoami', {}).then(
      (r) => afterLogin(token, r.staff, false),
      () => { api.setToken(null); sessionStorage.removeItem(TOKEN_KEY); },
    ).finally(() => setRestoring(false));
  }, [api, afterLogin]);

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
      try { const s = await api.call('system.status', {}); if (!cancelled) setStatus(s); } catch { /* offline shows in the bar */ }
      if (!cancelled) timer = setTimeout(poll, api.isOnline ? 10_000 : 3_000);
    };
    void poll();
    return () => { cancelled = true; clearTimeout(timer); };
  }, [api, staff]);

  const allowed = screensFor(staff);
  const go = useCallback((s: Screen) => { if (allowed.includes(s)) { setThrown(null); setScreen(s); } }, [allowed]);

  useKeyScope(LAYER.app, {
    onKey: (key, ev) => {
      if (key === 'F11') { toggleLang(); return true; }
      if (!staff) return false;
      if (key === 'F3') { go('returns'); return true; }
      if (key === 'F10') { go('shift'); return true; }
      if (ev?.altKey && (key === 'b' || key === 'B')) { go('backoffice'); return true; }
      if (ev?.altKey && (key === 's' || key === 'S')) { go('setup'); return true; }
      if (key === 'Escape') {
        if (error) { setThrown(null); return true; }
        if (screen !== 'till' && allowed.includes('till')) { go('till'); return true; }
      }
      return false;
    },
  });

  const ctx: AppCtx = useMemo(() => ({ api, t, lang, staff, config, showError, clearError, showInfo, subscribe }),
    [api, t, lang, staff, config, showError, clearError, showInfo, subscribe]);

  const current = allowed.includes(screen) ? screen : allowed[0];

  return (
    <AppContext.Provider value={ctx}>
      <div className="app" data-lang={lang}>
        {staff && (
          <header className="nav">
            <span className="brand">{t('app.title')}</span>
            {allowed.map((s) => (
              <button key={s} type="button" data-testid={`nav-${s}`} className={s === current ? 'on' : ''} onClick={() => go(s)}>
                {t(NAV[s].label)} <small>{NAV[s].key}</small>
              </button>
            ))}
            <span className="spacer" />
            <span className="who">{staff.name}</span>
            <button type="button" data-testid="logout-button" onClick={() => logout()}>{t('nav.logout')}</button>
          </header>
        )}
        {!online && <div className="offline-banner" role="status" data-testid="offline-banner">{t('status.offline')}</div>}
        {online && status?.sync.state === 'error' && (
          <div className="sync-banner" role="status" data-testid="sync-banner">
            {t('status.sync.error')}{syncProblemText(t, status.sync) ? `: ${syncProblemText(t, status.sync)}` : ''}
            {status.sync.pendingOps > 0 ? ` · ${t('status.sync.pending', { n: status.sync.pendingOps })}` : ''}
          </div>
        )}
        {error && (
          <div className="error-banner" role="alert" data-testid="error-banner" data-code={error.code}>
            <span className="code">{error.code}</span>
            <span className="message" data-testid="error-message">{error.message}</span>
            <button type="button" data-testid="error-dismiss" onClick={() => setThrown(null)}>{t('dismiss')}</button>
          </div>
        )}
        {info && <div className="info-banner" role="status" data-testid="info-banner">{info}</div>}
        <main>
          {!staff && !restoring && <LoginScreen onLogin={(token, who) => void afterLogin(token, who, true)} />}
          {current === 'till' && <TillScreen />}
          {current === 'returns' && <ReturnsScreen />}
          {current === 'shift' && <ShiftScreen onShiftChange={setShift} />}
          {current === 'backoffice' && <BackOfficeScreen />}
          {current === 'setup' && <SetupScreen />}
        </main>
        <StatusBar online={online} status={status} staff={staff} shift={shift} onToggleLang={toggleLang} />
        {promptEl}
      </div>
    </AppContext.Provider>
  );
}
