// Always-visible status bar: store/terminal, who is logged in, shift, online/offline, device
// problems in plain words (printer cover open, paper out), sync,
// language switch (F11).
import type { Shift, StaffView, TerminalStatus } from '../../../contract';
import { useApp } from '../app-context';
import { deviceStatusText } from './error-text';

export interface StatusBarProps {
  online: boolean;
  status: TerminalStatus | null;
  staff: StaffView | null;
  shift: Shift | null | undefined;
  /** New online orders and double handovers (null: this till does not sync, so it has no orders). */
  orders?: { newCount: number; conflictCount: number } | null;
  onToggleLang: () => void;
}

export function StatusBar({ online, status, staff, shift, orders, onToggleLang }: StatusBarProps) {
  const { t, config } = useApp();
  const sync = status?.sync;
  const syncText = !sync
    ? ''
    : sync.state === 'pending' || sync.pendingOps > 0
      ? t('status.sync.pending', { n: sync.pendingOps })
      : t(`status.sync.${sync.state}`);
  return (
    <footer className="status-bar" data-testid="status-bar">
      {(config || status) && (
        <span>
          {config?.storeName ?? status?.storeId} · {status?.terminalId ?? config?.terminalId}
        </span>
      )}
      {staff && <span data-testid="status-staff">{staff.name}</span>}
      {shift !== undefined && staff?.role !== 'technician' && (
        <span data-testid="status-shift" data-open={shift ? 'true' : 'false'}>
          {shift ? t('status.shift.open') : t('status.shift.none')}
        </span>
      )}
      <span className="spacer" />
      <span data-testid="status-online" data-online={online ? 'true' : 'false'} className={online ? 'ok' : 'bad'}>
        {online ? t('status.online') : t('status.offline')}
      </span>
      {status?.devices
        .filter((d) => d.status !== 'ok')
        .map((d) => (
          <span key={d.id} data-testid="status-device" data-device={d.id} data-status={d.status} className="bad">
            {deviceStatusText(t, d)}
          </span>
        ))}
      {orders && staff && (
        <span data-testid="status-orders" data-new={orders.newCount} className={orders.newCount > 0 ? 'warn' : ''}>
          {t('status.orders', { n: orders.newCount })}
        </span>
      )}
      {orders && staff && orders.conflictCount > 0 && (
        <span data-testid="status-orders-conflict" className="bad">
          {t('status.ordersConflict', { n: orders.conflictCount })}
        </span>
      )}
      {sync && (
        <span
          data-testid="status-sync"
          data-state={sync.state}
          data-pending={sync.pendingOps}
          className={sync.state === 'error' ? 'bad' : sync.pendingOps > 0 ? 'warn' : ''}
        >
          {syncText}
        </span>
      )}
      <button type="button" data-testid="lang-toggle" onClick={onToggleLang}>
        {t('lang.switch')} ({t('lang.key')})
      </button>
    </footer>
  );
}
