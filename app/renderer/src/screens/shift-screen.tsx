// Shift: open with a float, cash in / cash out with a reason, X report (managers: the core
// refuses it to a cashier), and Z close with a BLIND count: the cashier enters the counted cash
// before the expected figure is shown.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Shift, ShiftReport } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError } from '../components/error-text';
import { usePrompt, useManagerOverride } from '../components/prompt';
import { ReportView } from '../components/report-view';
import { formatFen, parseYuan, formatTime } from '../format';

export function ShiftScreen({
  onShiftChange,
  onHandover,
  handovers,
}: {
  onShiftChange: (s: Shift | null) => void;
  /** Opens the cashier change (交接班) for another cashier's open shift. */
  onHandover: () => void;
  /** Counts completed cashier changes: each one reloads the shift shown. */
  handovers: number;
}) {
  const { api, t, staff, showError, clearError, showInfo } = useApp();
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [report, setReport] = useState<ShiftReport | null>(null);
  const notMine = !!shift && staff?.role === 'cashier' && shift.cashier.id !== staff.id;
  const [counted, setCounted] = useState('');
  const countedRef = useRef<HTMLInputElement>(null);
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);
  const canXReport = staff?.role === 'manager';

  const load = useCallback(async () => {
    try {
      const s = (await api.call('shift.current', {})).shift;
      setShift(s);
      onShiftChange(s);
    } catch (err) {
      showError(err);
    }
  }, [api, showError, onShiftChange]);
  useEffect(() => {
    void load();
  }, [load, handovers]);

  const update = (s: Shift) => {
    setShift(s);
    onShiftChange(s);
  };

  const movement = async (kind: 'in' | 'out') => {
    clearError();
    const v = await ask({
      title: kind === 'in' ? t('shift.cashIn') : t('shift.cashOut'),
      testid: `cash-${kind}-dialog`,
      fields: [
        { name: 'amount', label: t('shift.amount'), kind: 'yuan', testid: 'cash-amount-input' },
        { name: 'reason', label: t('reason'), kind: 'text', testid: 'cash-reason-input' },
      ],
      onSubmit: async (vals) => {
        const a = parseYuan(vals.amount ?? '');
        if (a === null || a <= 0) throw fieldError(t, t('shift.amount'));
        if (!(vals.reason ?? '').trim()) throw fieldError(t, t('reason'));
      },
    });
    if (!v) return;
    const amount = parseYuan(v.amount ?? '') ?? 0;
    const reason = (v.reason ?? '').trim();
    try {
      const r =
        kind === 'in'
          ? await api.call('shift.cashIn', { amount, reason })
          : await override((approval) => api.call('shift.cashOut', { amount, reason, ...approval }));
      if (r) {
        update(r.shift);
        showInfo((tr) => tr('shift.movementDone'));
      }
    } catch (err) {
      showError(err);
    }
  };

  const xReport = async () => {
    clearError();
    try {
      setReport((await api.call('shift.xReport', {})).report);
    } catch (err) {
      showError(err);
    }
  };

  const close = async () => {
    clearError();
    const c = parseYuan(counted);
    if (c === null) {
      showError(fieldError(t, t('shift.counted')));
      return;
    }
    try {
      const r = await api.call('shift.close', { countedCash: c });
      setReport(r.report);
      setCounted('');
      setShift(null);
      onShiftChange(null);
    } catch (err) {
      showError(err);
    }
  };

  const open = async () => {
    const v = await askFloat(ask, t, async (float) => {
      update((await api.call('shift.open', { float })).shift);
    });
    if (v) setReport(null);
  };

  useKeyScope(LAYER.screen, {
    onKey: (key) => {
      if (key === 'F6' && shift) {
        void movement('in');
        return true;
      }
      if (key === 'F7' && shift) {
        void movement('out');
        return true;
      }
      if (key === 'F9' && notMine) {
        onHandover();
        return true;
      }
      if (key === 'F8' && shift && canXReport) {
        void xReport();
        return true;
      }
      // The counted cash: F9 goes to it, and digits typed with nothing focused land in it
      // (issue 13 item 13: typed digits used to vanish).
      if (shift && (key === 'F9' || /^[0-9.]$/.test(key))) {
        if (key !== 'F9') setCounted((c) => c + key);
        countedRef.current?.focus();
        return true;
      }
      return false;
    },
  });

  return (
    <div className="page shift">
      <h1>{t('shift.title')}</h1>
      {/* The report first: after a Z close its counted cash and over/short are what matter. */}
      {report && <ReportView report={report} blind={staff?.role === 'cashier'} />}
      {shift === null && (
        <div className="card">
          <p>{t('shift.none')}</p>
          <button type="button" className="primary big" data-testid="shift-open-button" onClick={() => void open()}>
            {t('shift.open')}
          </button>
        </div>
      )}
      {shift && (
        <div className="shift-grid">
          <div className="card" data-testid="shift-info" data-shift-id={shift.id}>
            {notMine && (
              <p className="warn" data-testid="shift-not-yours">
                {t('handover.notYours', { name: shift.cashier.name })}{' '}
                <button type="button" data-testid="handover-button" onClick={onHandover}>
                  {t('handover.button')}
                </button>
              </p>
            )}
            <p>
              {shift.cashier.name} · {t('shift.openedAt', { at: formatTime(shift.openedAt) })}
            </p>
            <p>
              {t('report.float')}: <b data-testid="shift-float">{formatFen(shift.float)}</b>
            </p>
            {shift.cashMovements.length > 0 && (
              <ul className="movements">
                {shift.cashMovements.map((m, i) => (
                  <li key={i} data-testid="cash-movement">
                    <span>{m.kind === 'in' ? t('shift.cashIn') : t('shift.cashOut')}</span>
                    <span>{formatFen(m.amount)}</span>
                    <span>{m.reason}</span>
                  </li>
                ))}
              </ul>
            )}
            <div className="buttons">
              <button type="button" data-testid="cash-in-button" onClick={() => void movement('in')}>
                {t('shift.cashIn')} F6
              </button>
              <button type="button" data-testid="cash-out-button" onClick={() => void movement('out')}>
                {t('shift.cashOut')} F7
              </button>
              {canXReport && (
                <button type="button" data-testid="x-report-button" onClick={() => void xReport()}>
                  {t('shift.xReport')} F8
                </button>
              )}
            </div>
          </div>
          <div className="card">
            <h3>{t('shift.close')}</h3>
            <p className="muted">{t('shift.blindHint')}</p>
            <label className="field">
              <span>{t('shift.counted')} F9</span>
              <input
                ref={countedRef}
                data-testid="shift-counted-input"
                className="big-input"
                autoFocus
                inputMode="decimal"
                autoComplete="off"
                value={counted}
                onChange={(e) => setCounted(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    void close();
                  }
                }}
              />
            </label>
            <button type="button" className="primary" data-testid="shift-close-button" onClick={() => void close()}>
              {t('shift.close')}
            </button>
          </div>
        </div>
      )}
      {promptEl}
    </div>
  );
}

/** Float prompt used after login and on the shift screen; resolves true when the shift opened. */
export async function askFloat(
  ask: ReturnType<typeof usePrompt>[0],
  t: ReturnType<typeof useApp>['t'],
  openShift: (float: number) => Promise<void>,
): Promise<boolean> {
  const v = await ask({
    title: t('shift.open'),
    message: t('shift.openPrompt'),
    testid: 'shift-open-dialog',
    fields: [{ name: 'float', label: t('shift.float'), kind: 'yuan', testid: 'shift-float-input' }],
    onSubmit: async (vals) => {
      const f = parseYuan(vals.float ?? '');
      if (f === null) throw fieldError(t, t('shift.float'));
      await openShift(f);
    },
  });
  return v !== null;
}
