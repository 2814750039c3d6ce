// The phone stock page (盘点 and 报损 on a phone): staff open the till's web host on the store LAN
// at /#count, log in with their own PIN and count an open sheet, in one column with big buttons
// (a Bluetooth scanner in keyboard-wedge mode types the code and Enter into the code field), or
// write off what spoiled on the shelf (a cashier above the store's limit asks a manager's PIN).
// No till around it (no shift, no cart, no float prompt): only the login, the open sheets, the
// sheet and the waste form. The same RPCs as the back office, role-checked there.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StaffView, StocktakeSummary } from '../../../contract';
import type { ApiClient } from '../api';
import { AppContext, type AppCtx } from '../app-context';
import { usePrompt } from '../components/prompt';
import { startKeyRouter } from '../input';
import { useBanners } from '../use-banners';
import { useLang } from '../use-lang';
import { keepToken, useRestoredToken } from '../use-stored-token';
import { CountSheet } from './count-sheet';
import { LoginScreen } from './login-screen';
import { WasteView } from './waste-view';
import { Banners } from '../components/banners';

const TOKEN_KEY = 'pos.count.session';

export function CountApp({ api }: { api: ApiClient }) {
  const { lang, t, toggleLang, adoptConfiguredLang } = useLang();
  const { error, info, showError, clearError, showInfo } = useBanners(t);
  const [ask, promptEl] = usePrompt();
  const [staff, setStaff] = useState<StaffView | null>(null);
  const [sheets, setSheets] = useState<StocktakeSummary[]>([]);
  const [open, setOpen] = useState<StocktakeSummary | null>(null);
  const [mode, setMode] = useState<'count' | 'waste'>('count');

  useEffect(() => startKeyRouter(), []);

  const loggedIn = useCallback(
    async (token: string, who: StaffView) => {
      keepToken(api, TOKEN_KEY, token);
      setStaff(who);
      clearError();
      try {
        adoptConfiguredLang((await api.call('config.get', {})).config.lang);
      } catch {
        /* the language stays as it is */
      }
    },
    [api, clearError, adoptConfiguredLang],
  );
  const logout = useCallback(() => {
    void api.call('auth.logout', {}).catch(() => undefined);
    keepToken(api, TOKEN_KEY, null);
    setStaff(null);
    setOpen(null);
  }, [api]);
  useEffect(
    () =>
      api.onSessionLost(() => {
        keepToken(api, TOKEN_KEY, null);
        setStaff(null);
      }),
    [api],
  );
  // A reload keeps this tab's session.
  const restoring = useRestoredToken(api, TOKEN_KEY, loggedIn);

  const loadSheets = useCallback(async () => {
    try {
      setSheets((await api.call('stocktake.list', {})).stocktakes.filter((s) => s.status === 'open'));
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => {
    if (staff && !open && mode === 'count') void loadSheets();
  }, [staff, open, mode, loadSheets]);

  const ctx: AppCtx = useMemo(
    () => ({
      api,
      t,
      lang,
      staff,
      config: null,
      showError,
      clearError,
      showInfo,
      subscribe: () => () => undefined,
      requireShift: () => Promise.resolve(true),
    }),
    [api, t, lang, staff, showError, clearError, showInfo],
  );

  return (
    <AppContext.Provider value={ctx}>
      <div className="app count-app" data-lang={lang} data-testid="count-app">
        <header className="nav">
          <span className="brand">{t('cnt.title')}</span>
          <span className="spacer" />
          {staff && <span className="who">{staff.name}</span>}
          <button type="button" data-testid="count-lang" onClick={toggleLang}>
            {t('lang.switch')}
          </button>
          {staff && (
            <button type="button" data-testid="count-logout" onClick={logout}>
              {t('nav.logout')}
            </button>
          )}
        </header>
        <Banners error={error} info={info} onDismiss={clearError} t={t} />
        <main>
          {!staff && !restoring && <LoginScreen onLogin={(token, who) => void loggedIn(token, who)} />}
          {staff && (
            <div className="segmented count-modes">
              <button
                type="button"
                data-testid="count-mode-count"
                className={mode === 'count' ? 'on' : ''}
                onClick={() => setMode('count')}
              >
                {t('st.tab')}
              </button>
              <button
                type="button"
                data-testid="count-mode-waste"
                className={mode === 'waste' ? 'on' : ''}
                onClick={() => setMode('waste')}
              >
                {t('ws.tab')}
              </button>
            </div>
          )}
          {staff && mode === 'waste' && <WasteView />}
          {staff && mode === 'count' && !open && (
            <div className="count-pick" data-testid="count-pick">
              <h1>{t('cnt.pick')}</h1>
              {sheets.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  className="big"
                  data-testid="count-open-sheet"
                  data-id={s.id}
                  onClick={() => setOpen(s)}
                >
                  {s.scopeKind === 'skus' ? t('st.skus', { n: s.lines }) : s.scope} · {s.counted} / {s.lines}
                </button>
              ))}
              {sheets.length === 0 && <p className="muted">{t('cnt.none')}</p>}
              <button type="button" className="big" data-testid="count-refresh" onClick={() => void loadSheets()}>
                {t('cnt.refresh')}
              </button>
            </div>
          )}
          {staff && mode === 'count' && open && (
            <div className="count-open">
              <button type="button" className="big" data-testid="count-back" onClick={() => setOpen(null)}>
                {t('cnt.sheets')}
              </button>
              <h1>{open.scopeKind === 'skus' ? t('st.skus', { n: open.lines }) : open.scope}</h1>
              <CountSheet stocktakeId={open.id} ask={ask} withScale={false} />
            </div>
          )}
        </main>
        {promptEl}
      </div>
    </AppContext.Provider>
  );
}
