// Payment: cash (quick notes for what is left, and exact), card (cashier confirms the external terminal's
// approval), payment code (scan or type the customer's WeChat/Alipay code), several tenders
// for a split payment. Shows change as the cashier types. A payment code the gateway has not
// settled shows as pending ("顾客输入密码中") with a cancel button; the core queries and, on
// cancel or at the deadline, reverses it (docs/payments.md).
import { useEffect, useRef, useState } from 'react';
import type { Cart, PaymentResult, StoredValueBalance, TenderInput, TenderType } from '../../../contract';
import { useApp } from '../app-context';
import { Dialog } from '../components/dialog';
import { toShownError, type ShownError } from '../components/error-text';
import { formatFen, parseYuan } from '../format';
import { quickCashAmounts, shortfall, tenderSummary } from './tender-math';

export function PaymentDialog({
  cart,
  onCancel,
  onPaid,
}: {
  cart: Cart;
  onCancel: () => void;
  onPaid: (r: PaymentResult) => void;
}) {
  const { api, t, config } = useApp();
  const [mode, setMode] = useState<TenderType>('cash');
  const [tenders, setTenders] = useState<TenderInput[]>([]);
  const [cashText, setCashText] = useState('');
  const [amountText, setAmountText] = useState('');
  const [cardRef, setCardRef] = useState('');
  const [code, setCode] = useState('');
  const [memberPin, setMemberPin] = useState('');
  // 储值 / 积分: offered when a member is on the cart (F5 / F6), with the balance shown.
  const memberId = cart.member?.id ?? null;
  const [balance, setBalance] = useState<StoredValueBalance | null>(null);
  useEffect(() => {
    if (!memberId) return;
    api
      .call('members.storedValue', { memberId })
      .then((r) => setBalance(r.balance))
      .catch(() => setBalance(null));
  }, [api, memberId]);
  const [error, setError] = useState<ShownError | null>(null);
  // What just happened to the tender list (a part payment taken, what is left): not an error.
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cashRef = useRef<HTMLInputElement>(null);
  const { subscribe } = useApp();
  const [pending, setPending] = useState<{
    status: 'pending' | 'unknown';
    elapsedMs: number;
    deadlineMs: number;
  } | null>(null);
  const [cancelling, setCancelling] = useState(false);
  useEffect(
    () =>
      subscribe((ev) => {
        if (ev.type === 'payment.pending') setPending(ev.payment);
      }),
    [subscribe],
  );
  // A charge left unsettled (e.g. before a restart) is shown at once; paying first settles it.
  useEffect(() => {
    api
      .call('payment.pending', {})
      .then((r) => {
        const p = r.payments[0];
        if (p) setPending({ status: p.status === 'pending' ? 'pending' : 'unknown', elapsedMs: 0, deadlineMs: 0 });
      })
      .catch(() => undefined);
  }, [api]);
  const cancelPending = async () => {
    setCancelling(true);
    try {
      await api.call('payment.cancel', {});
      if (!busy) setPending(null);
    } catch (err) {
      setError(toShownError(err, t));
    } finally {
      setCancelling(false);
    }
  };

  const rounding = config?.cashRounding ?? { mode: 'none' as const, unit: 1 };
  const { due, remaining, remainingExact } = tenderSummary(cart.total, tenders, rounding, mode === 'cash');
  const cash = parseYuan(cashText);
  const changePreview = cash !== null && cash >= remaining ? cash - remaining : null;

  /** Says what was taken and what is left after `list` became the tender list. */
  const noteTaken = (list: TenderInput[], taken: TenderInput) => {
    const left = tenderSummary(cart.total, list, rounding, true).remaining;
    const words = { tender: t(`tender.${taken.type}`), amount: formatFen(taken.amount), left: formatFen(left) };
    // Nothing left: say so and what ends the sale, not "¥0.00 still to pay" and the tender keys.
    setNote(left > 0 ? t('pay.taken', words) : t('pay.takenAll', words));
  };

  // Cash typed and then F2/F3: a part payment joins the tenders (never silently dropped); cash
  // that already covers the sale stays typed and the switch is refused with a word (issue 13 item 9).
  const switchMode = (m: TenderType) => {
    let list = tenders;
    if (mode === 'cash' && m !== 'cash' && cashText.trim()) {
      const c = current();
      if (typeof c === 'string') {
        setError({ code: 'BAD_INPUT', message: c });
        return;
      }
      if (c && c.amount >= remaining) {
        setNote(t('pay.cashCovers', { amount: formatFen(c.amount) }));
        return;
      }
      if (c) {
        list = [...tenders, c];
        setTenders(list);
        setCashText('');
        noteTaken(list, c);
      }
    }
    setMode(m);
    setError(null);
    const left = tenderSummary(cart.total, list, rounding, m === 'cash').remainingExact;
    setAmountText(m === 'cash' ? '' : (left / 100).toFixed(2));
  };

  /** The tender being typed in, or an error message. */
  const current = (): TenderInput | string | null => {
    if (mode === 'cash') {
      if (!cashText.trim()) return null;
      return cash !== null && cash > 0 ? { type: 'cash', amount: cash } : t('err.field', { field: t('pay.tendered') });
    }
    const amount = parseYuan(amountText);
    if (amount === null || amount <= 0) return t('err.field', { field: t('pay.amount') });
    if (mode === 'card') return { type: 'card', amount, ...(cardRef.trim() ? { reference: cardRef.trim() } : {}) };
    if (mode === 'stored_value') return { type: 'stored_value', amount, ...(memberPin ? { memberPin } : {}) };
    if (mode === 'points') return { type: 'points', amount };
    return /^\d{16,24}$/.test(code)
      ? { type: 'payment_code', amount, code }
      : t('err.field', { field: t('pay.codeInput') });
  };

  const complete = async (list: TenderInput[]) => {
    if (busy) return;
    const short = shortfall(cart.total, list, rounding);
    if (short > 0) {
      setTenders(list);
      resetEntry();
      const taken = list.length > tenders.length ? list.at(-1) : undefined;
      // Enter on a part payment takes it and says what is left; only Enter with nothing new is short.
      if (taken) {
        setError(null);
        noteTaken(list, taken);
        if (mode !== 'cash') setMode('cash');
      } else setError({ code: 'TENDER_SHORT', message: t('pay.short', { amount: formatFen(short) }) });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onPaid(await api.call('cart.pay', { tenders: list }));
    } catch (err) {
      setError(toShownError(err, t));
      setBusy(false);
      setPending(null);
    }
  };

  const resetEntry = () => {
    setCashText('');
    setCardRef('');
    setCode('');
    setMemberPin('');
    setAmountText('');
  };

  const add = (): TenderInput[] | null => {
    const c = current();
    if (typeof c === 'string') {
      setError({ code: 'BAD_INPUT', message: c });
      return null;
    }
    if (c === null) return tenders;
    const list = [...tenders, c];
    setTenders(list);
    resetEntry();
    if (mode !== 'cash') setMode('cash');
    setError(null);
    noteTaken(list, c);
    return list;
  };

  const submit = () => {
    const c = current();
    if (typeof c === 'string') {
      setError({ code: 'BAD_INPUT', message: c });
      return;
    }
    // Enter on an empty cash field with nothing tendered yet means "exact cash".
    if (c === null && tenders.length === 0 && mode === 'cash') {
      void complete([{ type: 'cash', amount: due }]);
      return;
    }
    void complete(c === null ? tenders : [...tenders, c]);
  };

  return (
    <Dialog
      title={t('pay.title')}
      testid="pay-dialog"
      wide
      onCancel={busy ? undefined : onCancel}
      onEnter={submit}
      onScan={(scanned) => {
        // The member's own code (会员码) shown to pay from the balance: the member is present for
        // this cart, so 储值 needs no PIN (docs/members.md).
        if (memberId && scanned.startsWith('PM1.')) {
          api
            .call('members.identify', { code: scanned })
            .then(() => switchMode('stored_value'))
            .catch((err: unknown) => setError(toShownError(err, t)));
          return;
        }
        // The customer's payment code: charge it for the typed amount, or for what is left.
        if (!/^\d{16,24}$/.test(scanned)) {
          setMode('payment_code');
          setCode(scanned.replace(/\D/g, ''));
          return;
        }
        const typed = mode === 'payment_code' ? parseYuan(amountText) : null;
        const amount = typed !== null && typed > 0 ? typed : remainingExact;
        const tender: TenderInput = { type: 'payment_code', amount, code: scanned };
        if (amount >= remainingExact) {
          void complete([...tenders, tender]);
          return;
        }
        const list = [...tenders, tender];
        setTenders(list);
        resetEntry();
        setMode('cash');
        noteTaken(list, tender);
      }}
      onKey={(k) => {
        if (k === 'F1') {
          switchMode('cash');
          return true;
        }
        if (k === 'F2') {
          switchMode('card');
          return true;
        }
        if (k === 'F3') {
          switchMode('payment_code');
          return true;
        }
        if (k === 'F4') {
          add();
          return true;
        }
        if (k === 'F5' && memberId) {
          switchMode('stored_value');
          return true;
        }
        if (k === 'F6' && memberId) {
          switchMode('points');
          return true;
        }
        // Digits typed after a button took focus still go to the cash field.
        if (mode === 'cash' && /^[0-9.]$/.test(k)) {
          setCashText((c) => c + k);
          cashRef.current?.focus();
          return true;
        }
        return false;
      }}
    >
      <div className="pay-grid">
        <div className="pay-summary">
          <div className="due">
            <span>{due !== cart.total ? t('pay.cashDue') : t('pay.due')}</span>
            <b data-testid="pay-due">{formatFen(due)}</b>
          </div>
          {tenders.length > 0 && (
            <>
              <h3>{t('pay.tenders')}</h3>
              <ul className="tender-list" data-testid="tender-list">
                {tenders.map((x, i) => (
                  <li key={i} data-testid="tender-item">
                    <span>{t(`tender.${x.type}`)}</span>
                    <span>{formatFen(x.amount)}</span>
                    <button
                      type="button"
                      onClick={() => {
                        setTenders(tenders.filter((_, j) => j !== i));
                        setNote(null);
                      }}
                    >
                      {t('pay.removeTender')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <div className="remaining">
            <span>{t('pay.remaining')}</span>
            <b data-testid="pay-remaining">{formatFen(remaining)}</b>
          </div>
          <div className="change-preview">
            <span>{t('pay.change')}</span>
            <b data-testid="pay-change-preview">{changePreview !== null ? formatFen(changePreview) : '—'}</b>
          </div>
        </div>
        <div className="pay-entry">
          <div className="segmented tabs">
            <button
              type="button"
              data-testid="tender-type-cash"
              className={mode === 'cash' ? 'on' : ''}
              onClick={() => switchMode('cash')}
            >
              {t('pay.cash')} F1
            </button>
            <button
              type="button"
              data-testid="tender-type-card"
              className={mode === 'card' ? 'on' : ''}
              onClick={() => switchMode('card')}
            >
              {t('pay.card')} F2
            </button>
            <button
              type="button"
              data-testid="tender-type-code"
              className={mode === 'payment_code' ? 'on' : ''}
              onClick={() => switchMode('payment_code')}
            >
              {t('pay.code')} F3
            </button>
            {memberId && (
              <button
                type="button"
                data-testid="tender-type-stored-value"
                className={mode === 'stored_value' ? 'on' : ''}
                onClick={() => switchMode('stored_value')}
              >
                {t('pay.storedValue')} F5
              </button>
            )}
            {memberId && (
              <button
                type="button"
                data-testid="tender-type-points"
                className={mode === 'points' ? 'on' : ''}
                onClick={() => switchMode('points')}
              >
                {t('pay.points')} F6
              </button>
            )}
          </div>
          {balance && (mode === 'stored_value' || mode === 'points') && (
            <div className="member-note" data-testid="pay-sv-balance">
              {t('pay.svBalance', {
                balance: formatFen(balance.balance),
                points: String(balance.points),
                pointsValue: formatFen(balance.pointsValue),
              })}
            </div>
          )}
          {mode === 'cash' && (
            <>
              <label className="field">
                <span>{t('pay.tendered')}</span>
                <input
                  ref={cashRef}
                  data-testid="tender-cash-input"
                  className="big-input"
                  autoFocus
                  inputMode="decimal"
                  autoComplete="off"
                  value={cashText}
                  onChange={(e) => {
                    setError(null);
                    setCashText(e.target.value);
                  }}
                />
              </label>
              <div className="quick">
                {quickCashAmounts(remaining).map((q) => (
                  <button
                    type="button"
                    key={q}
                    data-testid={`tender-quick-${q / 100}`}
                    onClick={() => void complete([...tenders, { type: 'cash', amount: q }])}
                  >
                    {formatFen(q)}
                  </button>
                ))}
                <button
                  type="button"
                  data-testid="tender-exact"
                  onClick={() =>
                    void complete(remaining > 0 ? [...tenders, { type: 'cash', amount: remaining }] : tenders)
                  }
                >
                  {t('pay.exact')}
                </button>
              </div>
            </>
          )}
          {mode !== 'cash' && (
            <label className="field">
              <span>{t('pay.amount')}</span>
              <input
                data-testid="tender-amount-input"
                inputMode="decimal"
                autoComplete="off"
                value={amountText}
                onChange={(e) => setAmountText(e.target.value)}
              />
            </label>
          )}
          {mode === 'card' && (
            <label className="field">
              <span>{t('pay.cardRef')}</span>
              <input
                data-testid="tender-card-ref"
                autoFocus
                autoComplete="off"
                value={cardRef}
                onChange={(e) => setCardRef(e.target.value)}
              />
            </label>
          )}
          {mode === 'payment_code' && (
            <label className="field">
              <span>{t('pay.codeInput')}</span>
              <input
                data-testid="tender-code-input"
                className="big-input"
                autoFocus
                inputMode="numeric"
                autoComplete="off"
                maxLength={24}
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
            </label>
          )}
          {mode === 'stored_value' && (
            <label className="field">
              <span>{t('pay.memberPin')}</span>
              <input
                data-testid="tender-member-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={8}
                value={memberPin}
                onChange={(e) => setMemberPin(e.target.value.replace(/\D/g, ''))}
              />
            </label>
          )}
          {pending && (
            <div className="pay-pending" role="status" data-testid="pay-pending" data-status={pending.status}>
              <b>{pending.status === 'pending' ? t('pay.pending') : t('pay.pendingUnknown')}</b>
              {pending.deadlineMs > 0 && (
                <span>
                  {t('pay.pendingElapsed', {
                    seconds: String(Math.round(pending.elapsedMs / 1000)),
                    limit: String(Math.round(pending.deadlineMs / 1000)),
                  })}
                </span>
              )}
              <button
                type="button"
                data-testid="pay-pending-cancel"
                disabled={cancelling}
                onClick={() => void cancelPending()}
              >
                {t('pay.pendingCancel')}
              </button>
            </div>
          )}
          {note && !error && (
            <div className="pay-note" role="status" data-testid="pay-note">
              {note}
            </div>
          )}
          {error && (
            <div className="error inline" role="alert" data-testid="pay-error" data-code={error.code}>
              {error.message}
            </div>
          )}
          <div className="buttons">
            <button type="button" onClick={onCancel} disabled={busy}>
              {t('cancel')}
            </button>
            <button type="button" data-testid="tender-add" onClick={() => add()}>
              {t('pay.add')} F4
            </button>
            <button type="button" className="primary" data-testid="pay-complete" disabled={busy} onClick={submit}>
              {mode === 'card' ? t('pay.cardConfirm') : t('pay.complete')}
            </button>
          </div>
        </div>
      </div>
    </Dialog>
  );
}
