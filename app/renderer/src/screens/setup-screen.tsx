// Setup for technicians (and managers): the terminal's status (terminal, version, sync) and its
// store devices from devices.list — configured and detected, with their status in plain words.
// Keyboard first: ↑↓ select, Enter change (or set up a detected device), Ins add, Del remove,
// F6 test print, F7 open the drawer, F5 refresh. Adding, changing and removing devices is for
// technicians; a manager may test-print and open the drawer; a technician needs a manager PIN
// for the drawer (the core decides and audits).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeviceKind, DeviceView, TerminalStatus } from '../../../contract';
import { ApiError } from '../api';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { Dialog } from '../components/dialog';
import { deviceStatusText, localError, syncProblemText, toShownError, type ShownError } from '../components/error-text';
import { usePrompt, useManagerOverride } from '../components/prompt';
import { formatOptions, parseOptions } from '../components/device-options';
import { formatTime } from '../format';
import type { StringKey } from '../i18n';

const KINDS: DeviceKind[] = ['printer', 'scanner', 'scale', 'display', 'drawer'];
const STATUS_KEYS = [
  'ok',
  'connecting',
  'not_found',
  'disconnected',
  'detected',
  'disabled',
  'stopped',
  'cover_open',
  'paper_out',
  'paper_near_end',
  'offline',
  'error',
];

const rowKey = (d: DeviceView) => `${d.configured ? 'c' : 'd'}:${d.id}`;

interface FormValues {
  kind: DeviceKind;
  deviceId: string;
  uri: string;
  options: string;
}

function DeviceForm({
  initial,
  editing,
  onSaved,
  onCancel,
}: {
  initial: FormValues;
  editing: boolean;
  onSaved: (devices: DeviceView[], id: string) => void;
  onCancel: () => void;
}) {
  const { api, t } = useApp();
  const [v, setV] = useState<FormValues>(initial);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) =>
    setV((x) => ({ ...x, [k]: e.target.value }));

  const save = async () => {
    if (busy) return;
    const options = parseOptions(v.options);
    if (!options) {
      setError({ code: 'BAD_INPUT', message: t('setup.form.optionsBad') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('devices.configure', {
        deviceId: v.deviceId.trim(),
        kind: v.kind,
        uri: v.uri.trim(),
        ...(Object.keys(options).length ? { options } : {}),
      });
      onSaved(r.devices, v.deviceId.trim());
    } catch (err) {
      setError(toShownError(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={editing ? t('setup.editTitle', { id: initial.deviceId }) : t('setup.addTitle')}
      testid="device-form"
      layer={LAYER.prompt}
      onCancel={onCancel}
      onEnter={() => void save()}
    >
      <label className="field">
        <span>{t('setup.form.kind')}</span>
        <select data-testid="device-kind" value={v.kind} autoFocus={!editing} onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`setup.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('setup.form.id')}</span>
        <input
          data-testid="device-id"
          value={v.deviceId}
          onChange={set('deviceId')}
          readOnly={editing}
          autoComplete="off"
        />
      </label>
      <label className="field">
        <span>{t('setup.form.uri')}</span>
        <input
          data-testid="device-uri"
          value={v.uri}
          onChange={set('uri')}
          autoFocus={editing}
          autoComplete="off"
          spellCheck={false}
        />
        <small>{t('setup.form.uriHint')}</small>
      </label>
      <label className="field">
        <span>{t('setup.form.options')}</span>
        <input
          data-testid="device-options"
          value={v.options}
          onChange={set('options')}
          autoComplete="off"
          spellCheck={false}
        />
        <small>{t('setup.form.optionsHint')}</small>
      </label>
      {error && (
        <div className="error inline" role="alert" data-testid="device-form-error" data-code={error.code}>
          {error.message}
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={onCancel} data-testid="device-form-cancel">
          {t('cancel')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void save()}
          data-testid="device-form-save"
        >
          {t('ok')}
        </button>
      </div>
    </Dialog>
  );
}

export function SetupScreen() {
  const { api, t, staff, showError, showInfo, clearError, subscribe } = useApp();
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  // Web mode: where the customer display page is served (Electron opens its own window).
  const [displayUrl, setDisplayUrl] = useState<string | null>(null);
  const [devices, setDevices] = useState<DeviceView[] | null>(null);
  const devicesRef = useRef(devices);
  devicesRef.current = devices;
  const [selected, setSelected] = useState<string | null>(null);
  const [form, setForm] = useState<{ initial: FormValues; editing: boolean } | null>(null);
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);
  const isTech = staff?.role === 'technician';
  const canList = isTech || staff?.role === 'manager';

  const loadDevices = useCallback(async () => {
    if (!canList) return;
    try {
      const r = await api.call('devices.list', {});
      setDevices(r.devices);
      setSelected((s) =>
        s && r.devices.some((d) => rowKey(d) === s) ? s : r.devices[0] ? rowKey(r.devices[0]) : null,
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'DEVICE_UNAVAILABLE') setDevices([]);
      else showError(err);
    }
  }, [api, canList, showError]);
  const load = useCallback(async () => {
    try {
      setStatus(await api.call('system.status', {}));
    } catch (err) {
      showError(err);
    }
    if (window.location.protocol.startsWith('http')) {
      try {
        setDisplayUrl(window.location.origin + (await api.call('display.link', {})).path);
      } catch {
        setDisplayUrl(null);
      }
    }
    await loadDevices();
  }, [api, showError, loadDevices]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () =>
      subscribe((ev) => {
        if (ev.type === 'sync.status') setStatus((s) => (s ? { ...s, sync: ev.sync } : s));
        if (ev.type === 'device.status') {
          setStatus((s) => (s ? { ...s, devices: [...s.devices.filter((d) => d.id !== ev.device.id), ev.device] } : s));
          const shown = devicesRef.current;
          setDevices(
            (ds) =>
              ds?.map((d) =>
                d.configured && d.id === ev.device.id
                  ? { ...d, status: ev.device.status, message: ev.device.message }
                  : d,
              ) ?? ds,
          );
          // A device this list does not show yet (just added elsewhere): fetch the list again.
          if (shown && !shown.some((d) => d.configured && d.id === ev.device.id)) void loadDevices();
        }
      }),
    [subscribe, loadDevices],
  );

  const list = devices ?? [];
  const current = list.find((d) => rowKey(d) === selected) ?? null;

  const move = (delta: number) => {
    if (list.length === 0) return;
    const i = list.findIndex((d) => rowKey(d) === selected);
    const next = list[Math.min(list.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
    if (next) setSelected(rowKey(next));
  };

  const openForm = (d: DeviceView | null) => {
    if (!isTech) return;
    clearError();
    if (!d) {
      setForm({ initial: { kind: 'printer', deviceId: '', uri: '', options: '' }, editing: false });
      return;
    }
    setForm({
      initial: { kind: d.kind, deviceId: d.configured ? d.id : d.id, uri: d.uri, options: formatOptions(d.options) },
      editing: d.configured,
    });
  };

  const remove = async (d: DeviceView | null) => {
    if (!isTech) return;
    if (!d || !d.configured) {
      showError(localError('BAD_INPUT', t('setup.noSelection')));
      return;
    }
    clearError();
    const ok = await ask({
      title: t('setup.removeTitle', { id: d.id }),
      message: t('setup.removeMessage'),
      fields: [],
      testid: 'device-remove-dialog',
    });
    if (!ok) return;
    try {
      const r = await api.call('devices.remove', { deviceId: d.id });
      setDevices(r.devices);
      setSelected(r.devices[0] ? rowKey(r.devices[0]) : null);
      showInfo((tr) => tr('setup.removed', { id: d.id }));
    } catch (err) {
      showError(err);
    }
  };

  const testPrint = async () => {
    clearError();
    try {
      const printer = current?.configured && current.kind === 'printer' ? current.id : undefined;
      const r = await api.call('devices.testPrint', printer ? { deviceId: printer } : {});
      showInfo((tr) => tr('setup.testQueued', { job: r.jobId.slice(0, 8) }));
    } catch (err) {
      showError(err);
    }
  };

  const openDrawer = async () => {
    clearError();
    try {
      const r = await override((approval) =>
        api.call('devices.openDrawer', { reason: t('setup.drawerReason'), ...approval }),
      );
      if (r) showInfo((tr) => tr('drawer.opened'));
    } catch (err) {
      showError(err);
    }
  };

  // A leaked display link: a new key; the paired display must be opened from the new link.
  const rotateDisplayKey = async () => {
    if (!isTech) return;
    clearError();
    const ok = await ask({
      title: t('setup.rotateDisplayKey'),
      message: t('setup.rotateDisplayKeyMessage'),
      fields: [],
      testid: 'display-rotate-dialog',
    });
    if (!ok) return;
    try {
      const r = await api.call('display.rotateKey', {});
      setDisplayUrl(window.location.origin + r.path);
      showInfo((tr) => tr('setup.displayKeyRotated'));
    } catch (err) {
      showError(err);
    }
  };

  // One sync round now (after fixing the network or the hub) instead of waiting for the back-off.
  const retrySync = async () => {
    if (!canList) return;
    clearError();
    showInfo((tr) => tr('setup.syncRetrying'));
    try {
      const r = await api.call('sync.retry', {});
      setStatus((st) => (st ? { ...st, sync: r.sync, online: r.online } : st));
      showInfo((tr) => tr(r.sync.state === 'error' ? 'setup.syncRetryFailed' : 'setup.syncRetried'));
    } catch (err) {
      showError(err);
    }
  };

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      switch (k) {
        case 'F5':
          void load();
          return true;
        case 'F8':
          if (canList) {
            void retrySync();
            return true;
          }
          return false;
        case 'F9':
          if (isTech) {
            void rotateDisplayKey();
            return true;
          }
          return false;
        case 'ArrowUp':
          move(-1);
          return true;
        case 'ArrowDown':
          move(1);
          return true;
        case 'Enter':
          if (isTech && current) {
            openForm(current);
            return true;
          }
          return false;
        case 'Insert':
          if (isTech) {
            openForm(null);
            return true;
          }
          return false;
        case 'Delete':
          if (isTech) {
            void remove(current);
            return true;
          }
          return false;
        case 'F6':
          if (canList) {
            void testPrint();
            return true;
          }
          return false;
        case 'F7':
          if (canList) {
            void openDrawer();
            return true;
          }
          return false;
        default:
          return false;
      }
    },
  });

  const statusText = (s: string) => (STATUS_KEYS.includes(s) ? t(`setup.status.${s}` as StringKey) : s);

  return (
    <div className="page setup">
      <h1>{t('setup.title')}</h1>
      <div className="shift-grid">
        <div className="card setup-devices-card">
          <h3>{t('setup.devices')}</h3>
          {canList ? (
            <>
              {devices && list.length === 0 && (
                <p className="muted" data-testid="setup-no-devices">
                  {t('setup.noDevices')}
                </p>
              )}
              <table className="list device-table" data-testid="setup-devices">
                {list.length > 0 && (
                  <thead>
                    <tr>
                      <th>{t('setup.col.kind')}</th>
                      <th>{t('setup.col.id')}</th>
                      <th>{t('setup.col.uri')}</th>
                      <th>{t('setup.col.status')}</th>
                    </tr>
                  </thead>
                )}
                <tbody>
                  {list.map((d) => {
                    const key = rowKey(d);
                    const warn = d.status !== 'ok' && d.status !== 'detected';
                    return (
                      <tr
                        key={key}
                        data-testid="setup-device"
                        data-device={d.id}
                        data-kind={d.kind}
                        data-status={d.status}
                        data-configured={d.configured ? 'true' : 'false'}
                        className={[
                          key === selected ? 'selected' : '',
                          warn ? 'warn' : '',
                          d.configured ? '' : 'disabled',
                        ]
                          .join(' ')
                          .trim()}
                        aria-selected={key === selected}
                        onClick={() => setSelected(key)}
                        onDoubleClick={() => openForm(d)}
                      >
                        <td>
                          {t(`setup.kind.${d.kind}`)}
                          {d.emulated && (
                            <span className="tag" data-testid="setup-device-emulated">
                              {t('setup.emulated')}
                            </span>
                          )}
                        </td>
                        <td>{d.id}</td>
                        <td className="uri">
                          {d.uri}
                          {Object.keys(d.options).length > 0 && <div className="muted">{formatOptions(d.options)}</div>}
                        </td>
                        <td data-testid="setup-device-status">
                          <b>{statusText(d.status)}</b>
                          {d.message && (
                            <div className="muted" data-testid="setup-device-message">
                              {d.status === 'detected' ? d.message : deviceStatusText(t, d)}
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <div className="device-actions">
                {isTech && (
                  <button type="button" data-testid="device-add" onClick={() => openForm(null)}>
                    {t('setup.add')}
                  </button>
                )}
                {isTech && (
                  <button type="button" data-testid="device-edit" disabled={!current} onClick={() => openForm(current)}>
                    {t('setup.edit')}
                  </button>
                )}
                {isTech && (
                  <button
                    type="button"
                    data-testid="device-remove"
                    disabled={!current?.configured}
                    onClick={() => void remove(current)}
                  >
                    {t('setup.remove')}
                  </button>
                )}
                <button type="button" data-testid="device-test-print" onClick={() => void testPrint()}>
                  {t('setup.testPrint')}
                </button>
                <button type="button" data-testid="device-drawer" onClick={() => void openDrawer()}>
                  {t('setup.drawer')}
                </button>
              </div>
              <p className="hint">{t('setup.keys')}</p>
            </>
          ) : (
            <table className="list" data-testid="setup-devices">
              <tbody>
                {(status?.devices ?? []).map((d) => (
                  <tr
                    key={d.id}
                    data-testid="setup-device"
                    data-device={d.id}
                    className={d.status === 'ok' ? '' : 'warn'}
                  >
                    <td>{d.kind}</td>
                    <td>{d.id}</td>
                    <td>{d.status}</td>
                    <td>{d.status === 'ok' ? '' : deviceStatusText(t, d)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {status && (
          <table className="kv card" data-testid="setup-status">
            <tbody>
              <tr>
                <th>{t('setup.terminal')}</th>
                <td data-testid="setup-terminal">{status.terminalId}</td>
              </tr>
              <tr>
                <th>{t('setup.store')}</th>
                <td>{status.storeId}</td>
              </tr>
              <tr>
                <th>{t('setup.version')}</th>
                <td data-testid="setup-version">{status.version}</td>
              </tr>
              <tr>
                <th>{t('setup.online')}</th>
                <td data-testid="setup-online" data-online={String(status.online)}>
                  {status.sync.state === 'disabled' ? '—' : status.online ? t('yes') : t('no')}
                </td>
              </tr>
              <tr>
                <th>{t('setup.sync')}</th>
                <td data-testid="setup-sync">
                  <span data-testid="setup-sync-state" data-state={status.sync.state}>
                    {t(`status.sync.${status.sync.state}`, { n: status.sync.pendingOps })}
                  </span>
                  {syncProblemText(t, status.sync) ? ` — ${syncProblemText(t, status.sync)}` : ''}
                  {canList && status.sync.state !== 'disabled' && (
                    <button type="button" data-testid="setup-sync-retry" onClick={() => void retrySync()}>
                      {t('setup.syncRetry')} F8
                    </button>
                  )}
                </td>
              </tr>
              <tr>
                <th>{t('setup.pending')}</th>
                <td>{status.sync.pendingOps}</td>
              </tr>
              <tr>
                <th>{t('setup.lastSync')}</th>
                <td>{formatTime(status.sync.lastSyncAt) || '—'}</td>
              </tr>
              <tr>
                <th>{t('setup.lag')}</th>
                <td>{status.sync.lagSeconds ?? '—'}</td>
              </tr>
              {displayUrl && (
                <tr>
                  <th>{t('setup.customerDisplay')}</th>
                  <td>
                    <code className="uri" data-testid="setup-display-link">
                      {displayUrl}
                    </code>
                    <div className="muted">{t('setup.customerDisplayHint')}</div>
                    {isTech && (
                      <button type="button" data-testid="setup-display-rotate" onClick={() => void rotateDisplayKey()}>
                        {t('setup.rotateDisplayKey')} F9
                      </button>
                    )}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </div>
      <button type="button" data-testid="setup-refresh" onClick={() => void load()}>
        {t('setup.refresh')} F5
      </button>
      {/* Pair again / test devices and print the setup ticket: the first-run wizard (both shells). */}
      {isTech && (
        <button type="button" data-testid="setup-wizard" onClick={() => (window.location.hash = '#setup')}>
          {t('wizard.open')}
        </button>
      )}
      {form && (
        <DeviceForm
          initial={form.initial}
          editing={form.editing}
          onCancel={() => setForm(null)}
          onSaved={(ds, id) => {
            setForm(null);
            setDevices(ds);
            const d = ds.find((x) => x.configured && x.id === id);
            if (d) setSelected(rowKey(d));
            showInfo((tr) => tr('setup.saved', { id }));
          }}
        />
      )}
      {promptEl}
    </div>
  );
}
