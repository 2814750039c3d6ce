// After payment: the change in big figures, the receipt as printed, Reprint, and Enter/Esc for
// the next sale.
import { useState } from 'react';
import type { PaymentResult, ReceiptView } from '../../../contract';
import { useApp } from '../app-context';
import { Dialog } from '../components/dialog';
import { formatFen } from '../format';

export function ReceiptPreview({ receipt }: { receipt: ReceiptView }) {
  return (
    <pre
      className={`receipt w${receipt.width}`}
      data-testid="receipt-preview"
      data-reprint={receipt.reprint ? 'true' : 'false'}
    >
      {receipt.text}
    </pre>
  );
}

export function ReceiptDialog({ result, onNext }: { result: PaymentResult; onNext: () => void }) {
  const { api, t, showError } = useApp();
  const [receipt, setReceipt] = useState<ReceiptView>(result.receipt);
  const reprint = async () => {
    try {
      setReceipt((await api.call('sales.reprint', { id: result.saleId })).receipt);
    } catch (err) {
      showError(err);
    }
  };
  return (
    <Dialog title={t('receipt.title')} testid="receipt-dialog" wide onCancel={onNext} onEnter={onNext}>
      <div className="receipt-grid">
        <div className="receipt-summary">
          <p data-testid="sale-number">{t('receipt.number', { number: result.saleNumber })}</p>
          <div className="change">
            <span>{t('receipt.change')}</span>
            <b data-testid="change-amount">{formatFen(result.change)}</b>
          </div>
          <div className="paid-total">
            <span>{t('pay.due')}</span>
            <b data-testid="paid-total">{formatFen(result.total)}</b>
          </div>
          {result.rounding !== 0 && (
            <div className="paid-total">
              <span>{t('receipt.rounding')}</span>
              <span data-testid="paid-rounding">{formatFen(result.rounding)}</span>
            </div>
          )}
          <ul className="tender-list">
            {result.tenders.map((x, i) => (
              <li key={i}>
                <span>{t(`tender.${x.type}`)}</span>
                <span>{formatFen(x.tendered)}</span>
              </li>
            ))}
          </ul>
          <div className="buttons vertical">
            <button type="button" data-testid="reprint-button" onClick={() => void reprint()}>
              {t('receipt.reprint')}
            </button>
            <button type="button" className="primary" data-testid="next-sale" autoFocus onClick={onNext}>
              {t('receipt.next')}
            </button>
          </div>
        </div>
        <ReceiptPreview receipt={receipt} />
      </div>
    </Dialog>
  );
}
