// The first-run wizard (web mode and the Electron window): language; pair with the store by a
// one-time code (typed or scanned as a QR) through the hub — found on the LAN (F5) or typed —
// learning the store and a free terminal id; the catalog download with a progress bar; the
// technician's PIN; each device tested with a pass or what to check; a printed setup ticket.
// Opened at #setup, from Setup (technician), and by Electron on an unpaired till. Pairing reopens
// the till on the paired store (app/till/till-setup.ts), so the wizard keeps its own session and
// talks through its own link (api/setup-link.ts), riding out the reopening.
// Keys: Enter next / run, Esc back or close, F11 language, F5 find hubs, F6 test print, F7
// drawer, F8 scan, F9 weigh (the setup screen's keys for the same tests).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DeviceView, Lang } from '../../../contract';
import { ApiError, createSetupLink, SetupLinkDown, type SetupLink } from '../api';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { deviceStatusText, toShownError, type ShownError } from '../components/error-text';
import type { StringKey } from '../i18n';
import { parsePairingScan } from './pairing-scan';
import {
  DEVICE_TESTS,
  DeviceTestRow,
  ticketResults,
  type TestContext,
  type TestName,
  type TestResult,
} from './wizard-device-tests';

type Step = 'lang' | 'pair' | 'download' | 'login' | 'devices' | 'done';
const STEPS: Step[] = ['lang', 'pair', 'download', 'login', 'devices', 'done'];
type LanHub = { name: string; storeId: string; hubId: string | null; url: string };

interface SetupState {
  paired: 'environment' | 'wizard' | null;
  storeId: string;
  terminalId: string;
  hubUrl: string | null;
  defaultHubUrl: string;
  version: string;
  /** The till can search the LAN for hubs (mDNS). */
  canSearch?: boolean;
  sync: { state: string; pendingOps: number; lastSyncAt: string | null; reason: string | null } | null;
  download: { received: number; total: number | null } | null;
}

const HUB_KEY = 'pos.wizard.hub';
/** Failures of /api/setup/* and /api/<method>, as the ApiError the error texts know, or the wizard's own code. */
class SetupError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Failure = { code: string; message: string; details?: Record<string, unknown> };

/** A wizard action's answer, or SetupError with its code (the wizard's own texts: wizard.error.*). */
async function setupAction<T>(
  link: SetupLink,
  action: 'hubs' | 'pair' | 'ticket',
  body: unknown,
  token?: string | null,
) {
  let out;
  try {
    out = await link.setup(action, body, token ?? null);
  } catch (err) {
    if (err instanceof SetupLinkDown) throw new SetupError(err.code, err.message);
    throw err;
  }
  if (!out.ok) {
    const e = out['error'] as Failure;
    throw new SetupError(e.code, e.message, e.details);
  }
  return out as { ok: true } & T;
}

/** An RPC's answer, or ApiError with the core's code (the shared error texts know those). */
async function rpc<T>(link: SetupLink, method: string, input: unknown, token?: string | null) {
  let out;
  try {
    out = await link.call(method, input, token ?? null);
  } catch (err) {
    if (err instanceof SetupLinkDown) throw new SetupError(err.code, err.message);
    throw err;
  }
  if (!out.ok) {
    const e = out['error'] as Failure;
    throw new ApiError(e.code as ApiError['code'], e.message, e.details);
  }
  return out as { ok: true } & T;
}

async function getState(link: SetupLink): Promise<SetupState | null> {
  try {
    const out = await link.setup('state', {}, null);
    return out.ok ? (out as unknown as SetupState) : null;
  } catch {
    return null; // reopening: ask again
  }
}

export function FirstRunWizard({ onLang, onClose }: { onLang: (lang: Lang) => void; onClose: () => void }) {
  const { t, lang } = useApp();
  const [step, setStep] = useState<Step>('lang');
  const [state, setState] = useState<SetupState | null>(null);
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const [terminalId, setTerminalId] = useState('');
  const [replace, setReplace] = useState(false);
  const [pin, setPin] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [tests, setTests] = useState<Partial<Record<TestName, TestResult>>>({});
  const [ticket, setTicket] = useState<'printed' | null>(null);
  const [managerPin, setManagerPin] = useState('');
  const [hubs, setHubs] = useState<LanHub[] | 'searching' | null>(null);
  const scanWait = useRef<((data: string) => void) | null>(null);
  const link = useMemo(() => createSetupLink(), []);

  const shown = useCallback(
    (err: unknown): ShownError => {
      if (err instanceof SetupError) {
        const key = `wizard.error.${err.code}` as StringKey;
        const words = t(key, { ...(err.details as Record<string, string | number>) });
        return { code: err.code, message: words !== key ? words : err.message };
      }
      return toShownError(err, t);
    },
    [t],
  );

  // The till's setup state: at start, and every half second while the catalog comes down.
  useEffect(() => {
    void getState(link).then((s) => {
      if (!s) return;
      setState(s);
      setHubUrl((h) => h || localStorage.getItem(HUB_KEY) || s.defaultHubUrl);
    });
  }, [link]);
  useEffect(() => {
    if (step !== 'download') return;
    const timer = setInterval(() => void getState(link).then((s) => s && setState(s)), 500);
    return () => clearInterval(timer);
  }, [step, link]);

  const downloaded =
    !!state?.sync &&
    state.sync.state === 'ok' &&
    state.sync.pendingOps === 0 &&
    !!state.download &&
    state.download.total !== null &&
    state.download.received >= state.download.total;

  /** A technician's session on the till now served (re-pairing a paired till, the device tests). */
  const technicianLogin = async (): Promise<string> => {
    const r = await rpc<{ token: string; staff: { role: string } }>(link, 'auth.login', { pin });
    if (r.staff.role !== 'technician') {
      await rpc(link, 'auth.logout', {}, r.token).catch(() => undefined);
      throw new SetupError('TECHNICIAN_REQUIRED', 'technician PIN needed');
    }
    return r.token;
  };

  const pair = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // Re-pairing a paired till: the technician's PIN first.
      const tok = state?.paired === 'wizard' ? await technicianLogin() : null;
      await setupAction(
        link,
        'pair',
        { hubUrl: hubUrl.trim(), code: code.trim(), terminalId: terminalId.trim(), replace },
        tok,
      );
      localStorage.setItem(HUB_KEY, hubUrl.trim());
      setToken(null); // the reopened till has its own sessions
      setState(null);
      setStep('download');
    } catch (err) {
      setError(shown(err));
    } finally {
      setPin('');
      setBusy(false);
    }
  };

  const login = async () => {
    if (busy || !pin) return;
    setBusy(true);
    setError(null);
    try {
      const tok = await technicianLogin();
      setToken(tok);
      const d = await rpc<{ devices: DeviceView[] }>(link, 'devices.list', {}, tok);
      setDevices(d.devices);
      setStep('devices');
    } catch (err) {
      setError(shown(err));
    } finally {
      setPin('');
      setBusy(false);
    }
  };

  /** Store hubs answering on the LAN (mDNS), for the technician to pick instead of typing. */
  const searchHubs = async () => {
    if (hubs === 'searching') return;
    setHubs('searching');
    setError(null);
    try {
      const r = await setupAction<{ hubs: LanHub[] }>(link, 'hubs', {});
      setHubs(r.hubs);
      if (r.hubs.length === 1) setHubUrl(r.hubs[0]!.url);
    } catch (err) {
      setHubs(null);
      setError(shown(err));
    }
  };

  const record = (name: TestName, r: TestResult) => setTests((x) => ({ ...x, [name]: r }));
  const testContext: TestContext = {
    t,
    managerPin,
    drawerReason: t('setup.drawerReason'),
    rpc: (method, input) => rpc(link, method, input, token),
    async refreshDevices() {
      const d = await rpc<{ devices: DeviceView[] }>(link, 'devices.list', {}, token);
      setDevices(d.devices);
      return d.devices;
    },
    // The wedge (keyboard) scanner lands in onScan below; a serial/HID one is a device.scan event.
    nextScan: (ms) =>
      new Promise<string | null>((resolve) => {
        const done = (v: string | null) => {
          clearTimeout(timer);
          stop();
          scanWait.current = null;
          resolve(v);
        };
        const timer = setTimeout(() => done(null), ms);
        scanWait.current = done;
        const stop = link.events(token ?? '', (ev) => {
          if (ev.type === 'device.scan') done(ev.scan.data);
        });
      }),
  };

  const runTest = async (name: TestName) => {
    const test = DEVICE_TESTS.find((x) => x.name === name);
    if (!test || tests[name]?.state === 'running') return;
    record(name, { state: 'running', words: t(`wizard.test.${name}.running`) });
    try {
      record(name, await test.run(testContext));
    } catch (err) {
      record(name, { state: 'failed', words: shown(err).message });
    }
  };

  const printTicket = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await setupAction(link, 'ticket', { results: ticketResults(devices, tests) }, token);
      setTicket('printed');
    } catch (err) {
      setError(shown(err));
    } finally {
      setBusy(false);
    }
  };

  const finish = () => {
    if (token) void rpc(link, 'auth.logout', {}, token).catch(() => undefined);
    onClose();
  };

  const next = () => {
    setError(null);
    if (step === 'lang') setStep('pair');
    else if (step === 'pair') void pair();
    else if (step === 'download' && downloaded) setStep('login');
    else if (step === 'login') void login();
    else if (step === 'devices') setStep('done');
    else if (step === 'done') void (ticket ? finish() : printTicket());
  };
  const back = () => {
    setError(null);
    if (step === 'lang' || step === 'pair') return onClose();
    if (step === 'done') return setStep('devices');
  };

  useKeyScope(LAYER.dialog, {
    modal: true,
    onKey: (key) => {
      if (key === 'F11') {
        onLang(lang === 'zh-CN' ? 'en' : 'zh-CN');
        return true;
      }
      if (key === 'Enter') {
        next();
        return true;
      }
      if (key === 'Escape') {
        back();
        return true;
      }
      if (step === 'pair' && key === 'F5') {
        if (state?.canSearch) void searchHubs();
        return true; // never the browser's reload: it would drop what was typed
      }
      if (step === 'devices') {
        const test = DEVICE_TESTS.find((x) => x.key === key);
        if (test) {
          void runTest(test.name);
          return true;
        }
      }
      return false;
    },
    onScan: (data) => {
      if (step === 'pair') {
        const p = parsePairingScan(data);
        setCode(p.code);
        if (p.hubUrl) setHubUrl(p.hubUrl);
      } else if (scanWait.current) scanWait.current(data);
    },
  });

  const pct =
    state?.download && state.download.total
      ? Math.min(100, Math.round((100 * state.download.received) / state.download.total))
      : 0;

  return (
    <div className="wizard" data-testid="wizard" data-step={step}>
      <ol className="wizard-steps">
        {STEPS.map((s) => (
          <li key={s} className={s === step ? 'on' : ''}>
            {t(`wizard.step.${s}`)}
          </li>
        ))}
      </ol>
      {step === 'lang' && (
        <section>
          <h1>{t('wizard.lang.title')}</h1>
          <div className="buttons">
            {(['zh-CN', 'en'] as const).map((l) => (
              <button
                key={l}
                type="button"
                data-testid={`wizard-lang-${l}`}
                className={l === lang ? 'on' : ''}
                onClick={() => {
                  onLang(l);
                  setStep('pair');
                }}
              >
                {l === 'zh-CN' ? '中文' : 'English'}
              </button>
            ))}
          </div>
          <p className="hint">{t('wizard.lang.hint')}</p>
        </section>
      )}
      {step === 'pair' && (
        <section>
          <h1>{t('wizard.pair.title')}</h1>
          {state?.paired === 'environment' && <p className="hint">{t('wizard.pair.byEnvironment')}</p>}
          <label className="field">
            <span>{t('wizard.pair.code')}</span>
            <input
              data-testid="wizard-code"
              value={code}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setCode(e.target.value)}
            />
            <small>{t('wizard.pair.codeHint')}</small>
          </label>
          <label className="field">
            <span>{t('wizard.pair.hub')}</span>
            <input
              data-testid="wizard-hub"
              value={hubUrl}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setHubUrl(e.target.value)}
            />
            <small>{t('wizard.pair.hubHint')}</small>
          </label>
          {state?.canSearch && (
            <div className="wizard-hubs" data-testid="wizard-hubs">
              <button
                type="button"
                data-testid="wizard-hubs-search"
                disabled={hubs === 'searching'}
                onClick={() => void searchHubs()}
              >
                {hubs === 'searching' ? t('wizard.pair.searching') : t('wizard.pair.search')}
              </button>
              {Array.isArray(hubs) && (
                <>
                  <p className="hint">{hubs.length ? t('wizard.pair.found') : t('wizard.pair.foundNone')}</p>
                  <div className="buttons">
                    {hubs.map((h) => (
                      <button
                        key={h.url}
                        type="button"
                        data-testid="wizard-hub-option"
                        data-url={h.url}
                        className={h.url === hubUrl.trim() ? 'on' : ''}
                        onClick={() => setHubUrl(h.url)}
                      >
                        {t('wizard.pair.hubChoice', { store: h.storeId, url: h.url })}
                      </button>
                    ))}
                  </div>
                </>
              )}
            </div>
          )}
          <label className="field">
            <span>{t('wizard.pair.terminal')}</span>
            <input
              data-testid="wizard-terminal"
              value={terminalId}
              placeholder="T01"
              autoComplete="off"
              onChange={(e) => setTerminalId(e.target.value)}
            />
            <small>{t('wizard.pair.terminalHint')}</small>
          </label>
          {state?.paired === 'wizard' && (
            <label className="field">
              <span>{t('wizard.login.pin')}</span>
              <input
                type="password"
                inputMode="numeric"
                data-testid="wizard-pair-pin"
                value={pin}
                onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
              />
              <small>{t('wizard.pair.pinHint')}</small>
            </label>
          )}
          <label className="check">
            <input
              type="checkbox"
              data-testid="wizard-replace"
              checked={replace}
              onChange={(e) => setReplace(e.target.checked)}
            />
            {t('wizard.pair.replace')}
          </label>
          <div className="buttons">
            <button type="button" data-testid="wizard-pair" disabled={busy} onClick={() => void pair()}>
              {busy ? t('wizard.pair.busy') : t('wizard.pair.go')}
            </button>
          </div>
        </section>
      )}
      {step === 'download' && (
        <section>
          <h1>{t('wizard.download.title')}</h1>
          {state?.paired ? (
            <dl className="wizard-facts" data-testid="wizard-paired">
              <dt>{t('wizard.fact.store')}</dt>
              <dd data-testid="wizard-store">{state.storeId}</dd>
              <dt>{t('wizard.fact.terminal')}</dt>
              <dd data-testid="wizard-terminal-id">{state.terminalId}</dd>
              <dt>{t('wizard.fact.hub')}</dt>
              <dd>{state.hubUrl}</dd>
            </dl>
          ) : (
            <p className="hint">{t('wizard.download.reopening')}</p>
          )}
          <div
            className="progress"
            role="progressbar"
            aria-valuenow={pct}
            data-testid="wizard-progress"
            data-done={downloaded}
          >
            <div className="bar" style={{ width: `${downloaded ? 100 : pct}%` }} />
          </div>
          <p className="hint">
            {downloaded
              ? t('wizard.download.done')
              : state?.download
                ? t('wizard.download.count', { received: state.download.received, total: state.download.total ?? '…' })
                : t('wizard.download.waiting')}
          </p>
          <div className="buttons">
            <button type="button" data-testid="wizard-next" disabled={!downloaded} onClick={next}>
              {t('wizard.next')}
            </button>
          </div>
        </section>
      )}
      {step === 'login' && (
        <section>
          <h1>{t('wizard.login.title')}</h1>
          <label className="field">
            <span>{t('wizard.login.pin')}</span>
            <input
              type="password"
              inputMode="numeric"
              data-testid="wizard-pin"
              value={pin}
              autoFocus
              onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            />
          </label>
        </section>
      )}
      {step === 'devices' && (
        <section>
          <h1>{t('wizard.devices.title')}</h1>
          <table className="wizard-devices" data-testid="wizard-devices">
            <tbody>
              {devices.length === 0 && (
                <tr>
                  <td colSpan={3}>{t('wizard.devices.none')}</td>
                </tr>
              )}
              {devices.map((d) => (
                <tr key={`${d.configured}:${d.id}`} data-testid="wizard-device" data-kind={d.kind} data-id={d.id}>
                  <td>{t(`setup.kind.${d.kind}`)}</td>
                  <td>
                    {d.id}
                    <small> {d.emulated ? t('wizard.devices.emulator') : (d.message ?? d.uri)}</small>
                  </td>
                  <td>{deviceStatusText(t, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <label className="field">
            <span>{t('wizard.devices.managerPin')}</span>
            <input
              type="password"
              inputMode="numeric"
              data-testid="wizard-manager-pin"
              value={managerPin}
              onChange={(e) => setManagerPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
            />
          </label>
          <ul className="wizard-tests">
            {DEVICE_TESTS.map((test) => (
              <DeviceTestRow
                key={test.name}
                test={test}
                result={tests[test.name]}
                t={t}
                onRun={(name) => void runTest(name)}
              />
            ))}
          </ul>
          <div className="buttons">
            <button type="button" data-testid="wizard-next" onClick={next}>
              {t('wizard.next')}
            </button>
          </div>
        </section>
      )}
      {step === 'done' && (
        <section>
          <h1>{t('wizard.done.title')}</h1>
          <p>{t('wizard.done.summary', { store: state?.storeId ?? '', terminal: state?.terminalId ?? '' })}</p>
          <div className="buttons">
            {!ticket && (
              <button type="button" data-testid="wizard-ticket" disabled={busy} onClick={() => void printTicket()}>
                {t('wizard.done.ticket')}
              </button>
            )}
            <button type="button" data-testid="wizard-finish" onClick={finish}>
              {t('wizard.done.finish')}
            </button>
          </div>
          {ticket && (
            <p className="hint" data-testid="wizard-ticket-printed">
              {t('wizard.done.printed')}
            </p>
          )}
        </section>
      )}
      {error && (
        <div className="error inline" role="alert" data-testid="wizard-error" data-code={error.code}>
          {error.message}
        </div>
      )}
      <p className="keys">{t('wizard.keys')}</p>
    </div>
  );
}
