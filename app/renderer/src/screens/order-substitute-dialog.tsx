// Substituting an out-of-stock order line: the picker chooses the line (↑/↓), scans the product
// put in the bag instead and types how many, Enter. A product sold by weight goes on the scale:
// with the amount left empty the core answers `weigh` and the Orders screen opens the weigh
// dialog (the grams come from the scale; typed `300g` still works without one). A scale label
// carries its own weight.
// The core prices it (never above what the customer paid for the line), refunds the difference
// and the cloud tells the customer. A refused scan stays in the dialog with the core's words.
import { useState } from 'react';
import type { OrderView } from '../../../contract';
import { LAYER, useApp } from '../app-context';
import { Dialog } from '../components/dialog';
import { toShownError, type ShownError } from '../components/error-text';

/** A substitute sold by weight that must go on the scale before it is recorded. */
export interface SubstituteWeighing {
  lineId: string;
  code: string;
  name: string;
  pricePerKg: number;
}

type SubstituteOutcome = { refund: number } | { weigh: SubstituteWeighing };

export function OrderSubstituteDialog({
  order,
  onDone,
}: {
  order: OrderView;
  /** The refund of the substitution (fen); the weighing still to do; or null when cancelled. */
  onDone: (r: SubstituteOutcome | null) => void;
}) {
  const { api, t } = useApp();
  const firstOpen = order.lines.findIndex((l) => !l.picked);
  const [lineIdx, setLineIdx] = useState(firstOpen >= 0 ? firstOpen : 0);
  const [code, setCode] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const line = order.lines[lineIdx]!;

  const submit = async () => {
    const typed = amount.trim();
    const n = Number(typed.replace(/g$/i, ''));
    if (busy || !code.trim()) return;
    if (typed !== '' && (!Number.isInteger(n) || n <= 0)) return;
    setBusy(true);
    setError(null);
    const byWeight = /^\d+g$/i.test(typed);
    try {
      const r = await api.call('orders.substitute', {
        orderId: order.id,
        lineId: line.lineId,
        code: code.trim(),
        ...(typed === '' ? {} : byWeight ? { grams: n } : { quantity: n }),
      });
      if (r.weigh)
        onDone({
          weigh: {
            lineId: line.lineId,
            code: code.trim(),
            name: t.lang === 'en' ? r.weigh.nameEn : r.weigh.name,
            pricePerKg: r.weigh.pricePerKg,
          },
        });
      else onDone({ refund: r.refund });
    } catch (err) {
      setError(toShownError(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('orders.substituteTitle', { id: order.id })}
      testid="order-substitute-dialog"
      layer={LAYER.dialog}
      onCancel={() => onDone(null)}
      onEnter={() => void submit()}
      onScan={(c) => setCode(c)}
      onKey={(k) => {
        if (k === 'ArrowDown' || k === 'ArrowUp') {
          const d = k === 'ArrowDown' ? 1 : -1;
          setLineIdx((i) => (i + d + order.lines.length) % order.lines.length);
          return true;
        }
        return false;
      }}
    >
      <ul className="substitute-lines">
        {order.lines.map((l, i) => (
          <li
            key={l.lineId}
            data-testid="substitute-line"
            data-line={l.lineId}
            aria-selected={i === lineIdx}
            className={i === lineIdx ? 'on' : ''}
          >
            {l.name || l.sku}
          </li>
        ))}
      </ul>
      <label className="field">
        <span>{t('orders.substituteCode')}</span>
        <input
          data-testid="substitute-code"
          autoFocus
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('orders.substituteAmount')}</span>
        <input
          data-testid="substitute-amount"
          inputMode="numeric"
          autoComplete="off"
          value={amount}
          onChange={(e) => setAmount(e.target.value.replace(/[^\dg]/gi, ''))}
        />
      </label>
      {error && (
        <div className="error inline" role="alert" data-testid="substitute-error" data-code={error.code}>
          {error.message}
        </div>
      )}
    </Dialog>
  );
}
