// App shell: session, language, navigation between screens, banners, status bar, and the
// global keyboard (wedge scanner listener + function-key router).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { StaffView } from '../../contract';
import type { ApiClient } from './api';
import { AppContext, LAYER, useKeyScope, type AppCtx } from './app-context';
import { StatusBar } from './components/status-bar';
import { usePrompt } from './components/prompt';
import { HandoverGate, needsHandover } from './components/handover-gate';
import { startKeyRouter, startWedgeListener, type WedgeConfig } from './input';
import { LoginScreen } from './screens/login-screen';
import { TillScreen } from './screens/till-screen';
import { ReturnsScreen } from './screens/returns-screen';
import { ShiftScreen } from './screens/shift-screen';
import { BackOfficeScreen } from './screens/back-office-screen';
import { SetupScreen } from './screens/setup-screen';
import { OrdersScreen } from './screens/orders-screen';
import { FirstRunWizard } from './screens/first-run-wizard';
import { useOrderCount } from './use-order-count';
import { useBanners } from './use-banners';
import { useLang } from './use-lang';
import { useSession } from './use-session';
import { Banners } from './components/banners';

type Screen = 'till' | 'returns' | 'shift' | 'orders' | 'backoffice' | 'setup';

const DEFAULT_WEDGE: WedgeConfig = { prefix: '', suffix: '', maxInterKeyMs: 40, minLength: 6 };

function screensFor(staff: StaffView | null): Screen[] {
  if (!staff) return [];
  if (staff.role === 'technician') return ['setup'];
  if (staff.role === 'manager') return ['till', 'returns', 'shift', 'orders', 'backoffice', 'setup'];
  return ['till', 'returns', 'shift', 'orders'];
}

const NAV: Record<
  Screen,
  { label: 'nav.till' | 'nav.returns' | 'nav.shift' | 'nav.orders' | 'nav.backOffice' | 'nav.setup'; key: string }
> = {
  till: { label: 'nav.till', key: 'Esc' },
  returns: { label: 'nav.returns', key: 'F3' },
  shift: { label: 'nav.shift', key: 'F10' },
  orders: { label: 'nav.orders', key: 'Alt+P' },
  backoffice: { label: 'nav.backOffice', key: 'Alt+B' },
  setup: { label: 'nav.setup', key: 'Alt+S' },
};

export function App({ api }: { api: ApiClient }) {
  const { lang, t, tRef, toggleLang, adoptConfiguredLang } = useLang();
  const [screen, setScreen] = useState<Screen>('till');
  const [online, setOnline] = useState(api.isOnline);
  const [ask, promptEl] = usePrompt();
  const { error, info, showError, clearError, showInfo } = useBanners(t);
  const onLoggedIn = useCallback((who: StaffView) => setScreen(who.role === 'technician' ? 'setup' : 'till'), []);
  const { staff, config, status, shift, setShift, restoring, subscribe, logout, afterLogin, requireShift } = useSession(
    {
      api,
      ask,
      tRef,
      showError,
      clearError,
      onConfiguredLang: adoptConfiguredLang,
      onLoggedIn,
    },
  );
  // Another cashier's shift is open: the handover asks first (issue 13 item 16); F9 on Shift asks again.
  const [handoverOpen, setHandoverOpen] = useState(true);
  const [handovers, setHandovers] = useState(0);
  useEffect(() => setHandoverOpen(true), [staff]);
  useWedge(config?.wedge);
  const orderCount = useOrderCount(api, subscribe, staff, status?.sync.state !== 'disabled');
  useEffect(() => api.onOnlineChange(setOnline), [api]);

  // The first-run wizard: #setup (printed by `npm start` on an unpaired till, opened by the
  // Electron window on an unpaired till, linked from the login screen and from Setup). It ends
  // with a reload: pairing reopens the till on its store.
  const [wizard, setWizard] = useState(() => window.location.hash === '#setup');
  useEffect(() => {
    const onHash = () => setWizard(window.location.hash === '#setup');
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const closeWizard = useCallback(() => {
    window.history.replaceState(null, '', window.location.pathname);
    window.location.reload();
  }, []);

  const allowed = screensFor(staff);
  const go = useCallback(
    (s: Screen) => {
      if (allowed.includes(s)) {
        clearError();
        setScreen(s);
      }
    },
    [allowed, clearError],
  );

  useKeyScope(LAYER.app, {
    onKey: (key, ev) => {
      if (key === 'F11') {
        toggleLang();
        return true;
      }
      if (!staff) return false;
      if (key === 'F3') {
        go('returns');
        return true;
      }
      if (key === 'F10') {
        go('shift');
        return true;
      }
      if (ev?.altKey && (key === 'p' || key === 'P')) {
        go('orders');
        return true;
      }
      if (ev?.altKey && (key === 'b' || key === 'B')) {
        go('backoffice');
        return true;
      }
      if (ev?.altKey && (key === 's' || key === 'S')) {
        go('setup');
        return true;
      }
      if (key === 'Escape') {
        if (error) {
          clearError();
          return true;
        }
        if (screen !== 'till' && allowed.includes('till')) {
          go('till');
          return true;
        }
      }
      return false;
    },
  });

  const ctx: AppCtx = useMemo(
    () => ({ api, t, lang, staff, config, showError, clearError, showInfo, subscribe, requireShift }),
    [api, t, lang, staff, config, showError, clearError, showInfo, subscribe, requireShift],
  );

  const current = allowed.includes(screen) ? screen : allowed[0];

  return (
    <AppContext.Provider value={ctx}>
      <div className="app" data-lang={lang}>
        {staff && (
          <header className="nav">
            <span className="brand">{t('app.title')}</span>
            {allowed.map((s) => (
              <button
                key={s}
                type="button"
                data-testid={`nav-${s}`}
                className={s === current ? 'on' : ''}
                onClick={() => go(s)}
              >
                {t(NAV[s].label)} <small>{NAV[s].key}</small>
              </button>
            ))}
            <span className="spacer" />
            <span className="who">{staff.name}</span>
            <button type="button" data-testid="logout-button" onClick={() => logout()}>
              {t('nav.logout')}
            </button>
          </header>
        )}
        {!online && (
          <div className="offline-banner" role="status" data-testid="offline-banner">
            {t('status.offline')}
          </div>
        )}
        {online && status?.sync.state === 'error' && (
          <div className="sync-banner" role="status" data-testid="sync-banner">
            {/* Short and calm for the till; the technician reads the detail on Setup (issue 13 item 11). */}
            {!status.sync.reason || status.sync.reason === 'offline'
              ? t('status.sync.offlineSelling')
              : t('status.sync.needsTechnician')}
          </div>
        )}
        <Banners error={error} info={info} onDismiss={clearError} t={t} />
        <main>
          {wizard && <FirstRunWizard onLang={(l) => (l === lang ? undefined : toggleLang())} onClose={closeWizard} />}
          {!wizard && !staff && !restoring && (
            <>
              <LoginScreen onLogin={(token, who) => void afterLogin(token, who, true)} />
              <p className="wizard-link">
                <a href="#setup" data-testid="open-wizard">
                  {t('wizard.open')}
                </a>
              </p>
            </>
          )}
          {!wizard && current === 'till' && <TillScreen />}
          {!wizard && current === 'returns' && <ReturnsScreen />}
          {!wizard && current === 'shift' && (
            <ShiftScreen onShiftChange={setShift} onHandover={() => setHandoverOpen(true)} handovers={handovers} />
          )}
          {!wizard && current === 'orders' && <OrdersScreen />}
          {!wizard && current === 'backoffice' && <BackOfficeScreen />}
          {!wizard && current === 'setup' && <SetupScreen />}
        </main>
        <StatusBar
          online={online}
          status={status}
          staff={staff}
          shift={shift}
          orders={orderCount}
          onToggleLang={toggleLang}
        />
        {promptEl}
        {!wizard && needsHandover(shift, staff) && (
          <HandoverGate
            shift={shift}
            open={handoverOpen}
            onDone={(s) => {
              setHandoverOpen(false);
              if (s) {
                setShift(s);
                setHandovers((n) => n + 1);
              }
            }}
          />
        )}
      </div>
    </AppContext.Provider>
  );
}

/** The keyboard-wedge scanner listener and the function-key router, for the app's lifetime; the till's wedge settings once known. */
function useWedge(config: WedgeConfig | undefined): void {
  const wedge = useRef<ReturnType<typeof startWedgeListener> | null>(null);
  useEffect(() => {
    wedge.current = startWedgeListener(DEFAULT_WEDGE);
    const stopRouter = startKeyRouter();
    return () => {
      wedge.current?.stop();
      stopRouter();
    };
  }, []);
  useEffect(() => {
    if (config) wedge.current?.configure(config);
  }, [config]);
}
