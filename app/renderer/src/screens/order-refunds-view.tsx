// The back office's online-order refunds (Alt+R): what this till owes customers of online orders
// (owed / declined / to pay by hand / paid), with the amount, the order, why and when, and the
// unpaid ones another till of the store holds (settled on that till). Managers
// retry a refund the gateway declined or has not answered (R: the same refund number, so it is
// paid once), or record one paid back by hand with a note (M). Keyboard: ↑/↓ choose the row.
import { useCallback, useEffect, useState } from 'react';
import type { OrderRefundView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { usePrompt } from '../components/prompt';
import { formatFen, formatTime } from '../format';

const RELOAD_MS = 3000;
const canRetry = (r: OrderRefundView) => r.status === 'owed' || r.status === 'declined';
const canMarkPaid = (r: OrderRefundView) => r.status === 'declined' || r.status === 'manual';

export function OrderRefundsView() {
  const { api, t, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const [refunds, setRefunds] = useState<OrderRefundView[]>([]);
  // The chosen refund by its order, so the list reloading (and re-sorting) never moves the cursor.
  const [selId, setSelId] = useState<string | null>(null);
  const found = refunds.findIndex((r) => r.orderId === selId);
  const sel = found >= 0 ? found : 0;

  const load = useCallback(
    async (quiet = false) => {
      try {
        setRefunds((await api.call('orders.refunds', {})).refunds);
      } catch (err) {
        if (!quiet) showError(err);
      }
    },
    [api, showError],
  );
  // Refunds change behind the screen (the payment sweep retries owed ones, order news adds new
  // ones): the list follows every few seconds while it is open.
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(true), RELOAD_MS);
    return () => clearInterval(timer);
  }, [load]);

  const retry = async (r: OrderRefundView) => {
    try {
      const { refund } = await api.call('orders.refundRetry', { orderId: r.orderId });
      const s = refund.status;
      const words =
        s === 'paid'
          ? 'rf.retried.paid'
          : s === 'declined'
            ? 'rf.retried.declined'
            : s === 'manual'
              ? 'rf.retried.manual'
              : 'rf.retried.owed';
      showInfo((tr) => tr(words, { id: refund.orderId }));
      await load();
    } catch (err) {
      showError(err);
    }
  };

  const markPaid = async (r: OrderRefundView) => {
    const v = await ask({
      title: t('rf.markPaidTitle', { id: r.orderId, amount: formatFen(r.amount) }),
      testid: 'rf-paid-dialog',
      fields: [{ name: 'note', label: t('rf.noteLabel'), kind: 'text', testid: 'rf-note' }],
      onSubmit: async (x) => {
        await api.call('orders.refundPaid', { orderId: r.orderId, note: x['note'] ?? '' });
      },
    });
    if (!v) return;
    showInfo((tr) => tr('rf.markedPaid', { id: r.orderId }));
    await load();
  };

  useKeyScope(LAYER.screen, {
    onKey: (k, ev) => {
      // Alt+R is the tab's own key (back office): not a retry.
      if (ev?.altKey || ev?.ctrlKey) return false;
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        const next = refunds[Math.max(0, Math.min(refunds.length - 1, sel + (k === 'ArrowDown' ? 1 : -1)))];
        if (next) setSelId(next.orderId);
        return true;
      }
      const r = refunds[sel];
      if (!r) return false;
      if ((k === 'r' || k === 'R') && canRetry(r)) {
        void retry(r);
        return true;
      }
      if ((k === 'm' || k === 'M') && canMarkPaid(r)) {
        void markPaid(r);
        return true;
      }
      return false;
    },
  });

  return (
    <div data-testid="rf-view">
      <h2>{t('rf.title')}</h2>
      <p className="hint">{t('rf.keys')}</p>
      <table className="list" data-testid="rf-list">
        <thead>
          <tr>
            <th>{t('rf.order')}</th>
            <th className="num">{t('rf.amount')}</th>
            <th>{t('rf.reason')}</th>
            <th>{t('rf.state')}</th>
            <th>{t('rf.when')}</th>
            <th>{t('rf.note')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {refunds.map((r, i) => (
            <tr
              key={r.orderId}
              data-testid="rf-row"
              data-order={r.orderId}
              data-status={r.status}
              data-paid-by={r.paidBy ?? ''}
              aria-selected={i === sel}
              className={i === sel ? 'on clickable' : 'clickable'}
              onClick={() => setSelId(r.orderId)}
            >
              <td>{r.orderId}</td>
              <td className="num">{formatFen(r.amount)}</td>
              <td>{t(`rf.reason.${r.reason}`)}</td>
              <td>
                {t(`rf.status.${r.status}`)}
                {r.paidBy && ` · ${t(`rf.paidBy.${r.paidBy}`)}`}
                {r.status === 'other-till' && r.terminalId && ` · ${r.terminalId}`}
                {r.status !== 'paid' && r.lastError && (
                  <small className="muted"> · {t('rf.lastError', { error: r.lastError })}</small>
                )}
              </td>
              <td>{formatTime(r.updatedAt)}</td>
              <td>{r.note ?? ''}</td>
              <td>
                {canRetry(r) && (
                  <button type="button" data-testid="rf-retry" onClick={() => void retry(r)}>
                    {t('rf.retry')} <small>R</small>
                  </button>
                )}
                {canMarkPaid(r) && (
                  <button type="button" data-testid="rf-mark-paid" onClick={() => void markPaid(r)}>
                    {t('rf.markPaid')} <small>M</small>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {refunds.length === 0 && <p className="muted">{t('bo.empty')}</p>}
      {promptEl}
    </div>
  );
}
