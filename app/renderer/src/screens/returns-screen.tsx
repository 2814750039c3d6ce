// Returns: scan or type the receipt code, pick lines and quantities (up to what is still
// returnable), give a reason; a cashier needs a manager PIN. Shows the refund and its tenders.
import { useRef, useState } from 'react';
import type { ReturnableSale, ReturnRecord, SaleLine } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError, localError } from '../components/error-text';
import { usePrompt, useManagerOverride } from '../components/prompt';
import { formatFen, formatGrams, formatTime } from '../format';

function returnable(l: SaleLine): number {
  return l.unit === 'weighed' ? (l.weightGrams ?? 0) - l.returnedWeightGrams : l.quantity - l.returnedQuantity;
}

export function ReturnsScreen() {
  const { api, t, lang, showError, clearError } = useApp();
  const [code, setCode] = useState('');
  const [sale, setSale] = useState<ReturnableSale | null>(null);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<ReturnRecord | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);

  const lookup = async (value: string) => {
    const c = value.trim();
    if (!c) return;
    clearError();
    setCode(c);
    try {
      const r = await api.call('returns.lookup', { code: c });
      setSale(r.sale);
      setPicked({});
      setDone(null);
    } catch (err) {
      showError(err);
    }
  };

  const submit = async () => {
    if (!sale || busy) return;
    clearError();
    const lines = sale.lines.flatMap((l) => {
      const v = picked[l.lineId];
      if (v === undefined) return [];
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) return [];
      return [l.unit === 'weighed' ? { lineId: l.lineId, weightGrams: n } : { lineId: l.lineId, quantity: n }];
    });
    if (lines.length === 0) {
      showError(localError('BAD_INPUT', t('returns.none')));
      return;
    }
    if (!reason.trim()) {
      showError(fieldError(t, t('reason')));
      return;
    }
    setBusy(true);
    try {
      const r = await override((approval) =>
        api.call('returns.create', {
          saleId: sale.id,
          lines,
          reason: reason.trim(),
          ...approval,
        }),
      );
      if (r) {
        setDone(r.return);
        setSale(null);
        setPicked({});
        setReason('');
        setCode('');
      }
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  useKeyScope(LAYER.screen, {
    onScan: (c) => void lookup(c),
    onKey: (key) => {
      if (key === 'F2') {
        codeRef.current?.focus();
        return true;
      }
      if (key === 'F12' && sale) {
        void submit();
        return true;
      }
      return false;
    },
  });

  return (
    <div className="page returns">
      <h1>{t('returns.title')}</h1>
      <div className="row">
        <input
          ref={codeRef}
          data-testid="returns-code-input"
          className="big-input grow"
          placeholder={t('returns.code')}
          autoFocus
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void lookup(e.currentTarget.value);
            }
          }}
        />
        <button type="button" className="primary" data-testid="returns-find" onClick={() => void lookup(code)}>
          {t('returns.find')}
        </button>
      </div>

      {sale && (
        <div className="return-sale" data-testid="return-sale" data-sale-id={sale.id}>
          <p>
            <b>{sale.number}</b> · {formatTime(sale.createdAt)} · {formatFen(sale.total)} ·{' '}
            <span data-testid="return-refundable">
              {t('returns.refundable', { amount: formatFen(sale.refundable) })}
            </span>
          </p>
          <table>
            <thead>
              <tr>
                <th>{t('returns.return')}</th>
                <th className="c-item">{t('till.col.item')}</th>
                <th className="num">{t('returns.sold')}</th>
                <th className="num">{t('returns.returned')}</th>
                <th className="num">{t('till.col.total')}</th>
                <th className="num">{t('returns.returnable')}</th>
                <th className="num">{t('returns.qty')}</th>
              </tr>
            </thead>
            <tbody>
              {sale.lines.map((l) => {
                const max = returnable(l);
                const weighed = l.unit === 'weighed';
                const on = picked[l.lineId] !== undefined;
                return (
                  <tr
                    key={l.lineId}
                    data-testid="return-line"
                    data-line-id={l.lineId}
                    className={max <= 0 ? 'disabled' : ''}
                  >
                    <td>
                      <label className="check-cell">
                        <input
                          type="checkbox"
                          className="check"
                          data-testid="return-line-check"
                          disabled={max <= 0}
                          checked={on}
                          onChange={(e) =>
                            setPicked((p) => {
                              const next = { ...p };
                              if (e.target.checked) next[l.lineId] = String(max);
                              else delete next[l.lineId];
                              return next;
                            })
                          }
                        />
                      </label>
                    </td>
                    <td className="c-item">
                      {/* English keeps the Chinese name too: it is what the shelf label and the receipt say. */}
                      <span className="name" data-testid="return-line-name">
                        {lang === 'zh-CN' || !l.nameEn ? l.name : `${l.nameEn} · ${l.name}`}
                      </span>
                    </td>
                    <td className="num">{weighed ? formatGrams(l.weightGrams ?? 0) : l.quantity}</td>
                    <td className="num">{weighed ? formatGrams(l.returnedWeightGrams) : l.returnedQuantity}</td>
                    <td className="num">{formatFen(l.total)}</td>
                    <td className="num" data-testid="return-line-max">
                      {weighed ? formatGrams(Math.max(0, max)) : Math.max(0, max)}
                    </td>
                    <td className="num">
                      <input
                        data-testid="return-line-qty"
                        className="qty"
                        inputMode="numeric"
                        disabled={!on}
                        value={picked[l.lineId] ?? String(Math.max(0, max))}
                        aria-label={weighed ? t('weight.label') : t('till.col.qty')}
                        onChange={(e) => setPicked((p) => ({ ...p, [l.lineId]: e.target.value.replace(/\D/g, '') }))}
                      />
                      {weighed ? ' g' : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="row">
            <input
              data-testid="return-reason"
              className="grow"
              placeholder={t('reason')}
              autoComplete="off"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  void submit();
                }
              }}
            />
            <button
              type="button"
              className="primary"
              data-testid="return-submit"
              disabled={busy}
              onClick={() => void submit()}
            >
              {t('returns.submit')} F12
            </button>
          </div>
        </div>
      )}

      {done && (
        <div className="return-result" data-testid="return-result" data-return-id={done.id}>
          <div className="change">
            <span>{t('returns.done', { amount: '' })}</span>
            <b data-testid="return-amount">{formatFen(done.amount)}</b>
          </div>
          <ul className="tender-list">
            {done.tenders.map((x, i) => (
              <li key={i} data-testid="return-tender">
                <span>{t(`tender.${x.type}`)}</span>
                <span>{formatFen(x.amount)}</span>
              </li>
            ))}
          </ul>
          <p>
            {done.approvedBy.name} · {done.reason}
          </p>
        </div>
      )}
      {promptEl}
    </div>
  );
}
