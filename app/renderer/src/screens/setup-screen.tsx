// Setup for technicians: what system.status reports (terminal, version, sync, devices).
// Devices and sync are filled in by the driver and sync layers; this shows whatever is there.
import { useCallback, useEffect, useState } from 'react';
import type { TerminalStatus } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { formatTime } from '../format';

export function SetupScreen() {
  const { api, t, showError, subscribe } = useApp();
  const [status, setStatus] = useState<TerminalStatus | null>(null);
  const load = useCallback(async () => {
    try { setStatus(await api.call('system.status', {})); } catch (err) { showError(err); }
  }, [api, showError]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => subscribe((ev) => {
    if (ev.type === 'sync.status') setStatus((s) => (s ? { ...s, sync: ev.sync } : s));
    if (ev.type === 'device.status') {
      setStatus((s) => (s ? { ...s, devices: [...s.devices.filter((d) => d.id !== ev.device.id), ev.device] } : s));
    }
  }), [subscribe]);
  useKeyScope(LAYER.screen, { onKey: (k) => { if (k === 'F5') { void load(); return true; } return false; } });

  return (
    <div className="page setup">
      <h1>{t('setup.title')}</h1>
      {status && (
        <div className="shift-grid">
          <table className="kv card" data-testid="setup-status">
            <tbody>
              <tr><th>{t('setup.terminal')}</th><td data-testid="setup-terminal">{status.terminalId}</td></tr>
              <tr><th>{t('setup.store')}</th><td>{status.storeId}</td></tr>
              <tr><th>{t('setup.version')}</th><td data-testid="setup-version">{status.version}</td></tr>
              <tr><th>{t('setup.online')}</th><td>{status.online ? t('yes') : t('no')}</td></tr>
              <tr><th>{t('setup.sync')}</th><td data-testid="setup-sync">{status.sync.state}{status.sync.message ? ` — ${status.sync.message}` : ''}</td></tr>
              <tr><th>{t('setup.pending')}</th><td>{status.sync.pendingOps}</td></tr>
              <tr><th>{t('setup.lastSync')}</th><td>{formatTime(status.sync.lastSyncAt) || '—'}</td></tr>
              <tr><th>{t('setup.lag')}</th><td>{status.sync.lagSeconds ?? '—'}</td></tr>
            </tbody>
          </table>
          <div className="card">
            <h3>{t('setup.devices')}</h3>
            {status.devices.length === 0 && <p className="muted">{t('setup.noDevices')}</p>}
            <table className="list" data-testid="setup-devices">
              <tbody>
                {status.devices.map((d) => (
                  <tr key={d.id} data-testid="setup-device" className={d.status === 'ok' || d.status === 'connected' ? '' : 'warn'}>
                    <td>{d.kind}</td><td>{d.id}</td><td>{d.status}</td><td>{d.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
      <button type="button" data-testid="setup-refresh" onClick={() => void load()}>{t('setup.refresh')} F5</button>
    </div>
  );
}
