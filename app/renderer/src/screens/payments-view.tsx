// Back office → payment codes: the manager queue (owed reversals, outcomes still unknown) and
// reconciliation of a gateway's daily statement against the store's sales and returns, with
// the report exported as CSV (docs/payments.md).
import { useEffect, useState } from 'react';
import type { PaymentIntentView, ReconcileLine } from '../../../contract';
import { useApp } from '../app-context';
import { formatFen, formatTime } from '../format';

export function PaymentsView() {
  const { api, t, showError } = useApp();
  const [queue, setQueue] = useState<PaymentIntentView[] | null>(null);
  const [wallet, setWallet] = useState<'wechat' | 'alipay'>('wechat');
  const [statement, setStatement] = useState('');
  const [result, setResult] = useState<{ matched: number; lines: ReconcileLine[]; csv: string } | null>(null);

  useEffect(() => {
    api
      .call('payment.queue', {})
      .then((r) => setQueue(r.payments))
      .catch((err: unknown) => showError(err));
  }, [api, showError]);

  const run = async () => {
    try {
      setResult(await api.call('payment.reconcile', { wallet, statement }));
    } catch (err) {
      showError(err);
    }
  };
  const exportCsv = () => {
    if (!result) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv;charset=utf-8' }));
    a.download = `reconcile-${wallet}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const money = (x: { paid: number; refunded: number } | null) =>
    x ? `${formatFen(x.paid)} / ${formatFen(x.refunded)}` : '—';

  return (
    <div className="payments-view">
      <h3>{t('bo.payQueue')}</h3>
      <table className="list" data-testid="payment-queue">
        <thead>
          <tr>
            <th>{t('bo.payTime')}</th>
            <th>{t('bo.payWallet')}</th>
            <th>{t('pay.amount')}</th>
            <th>{t('bo.payStatus')}</th>
            <th>out_trade_no</th>
          </tr>
        </thead>
        <tbody>
          {(queue ?? []).map((p) => (
            <tr key={p.id} data-testid="payment-queue-row">
              <td>{formatTime(p.createdAt)}</td>
              <td>{p.wallet}</td>
              <td>{formatFen(p.amount)}</td>
              <td>{p.status}</td>
              <td>{p.outTradeNo}</td>
            </tr>
          ))}
          {queue && queue.length === 0 && (
            <tr>
              <td colSpan={5}>{t('bo.payQueueEmpty')}</td>
            </tr>
          )}
        </tbody>
      </table>
      <h3>{t('bo.reconcile')}</h3>
      <div className="segmented">
        <button type="button" className={wallet === 'wechat' ? 'on' : ''} onClick={() => setWallet('wechat')}>
          {t('bo.payWechat')}
        </button>
        <button type="button" className={wallet === 'alipay' ? 'on' : ''} onClick={() => setWallet('alipay')}>
          {t('bo.payAlipay')}
        </button>
      </div>
      <label className="field">
        <span>{t('bo.statement')}</span>
        <input
          type="file"
          accept=".csv,.txt"
          data-testid="reconcile-file"
          onChange={(e) => {
            void e.target.files?.[0]?.text().then(setStatement);
          }}
        />
      </label>
      <textarea
        data-testid="reconcile-text"
        rows={4}
        value={statement}
        onChange={(e) => setStatement(e.target.value)}
      />
      <div className="buttons">
        <button
          type="button"
          className="primary"
          data-testid="reconcile-run"
          disabled={!statement.trim()}
          onClick={() => void run()}
        >
          {t('bo.reconcileRun')}
        </button>
        <button type="button" data-testid="reconcile-export" disabled={!result} onClick={exportCsv}>
          {t('bo.reconcileExport')}
        </button>
      </div>
      {result && (
        <table className="list" data-testid="reconcile-result">
          <caption>{t('bo.reconcileMatched', { count: result.matched })}</caption>
          <thead>
            <tr>
              <th>{t('bo.payStatus')}</th>
              <th>out_trade_no</th>
              <th>{t('bo.reconcileOurs')}</th>
              <th>{t('bo.reconcileTheirs')}</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((l) => (
              <tr key={`${l.kind}-${l.outTradeNo}`} data-testid="reconcile-line" data-kind={l.kind}>
                <td>{t(`bo.reconcile.${l.kind}`)}</td>
                <td>{l.outTradeNo}</td>
                <td>{money(l.ours)}</td>
                <td>{money(l.theirs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
