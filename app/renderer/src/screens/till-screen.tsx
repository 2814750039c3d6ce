// The till: cart, totals, search, numpad entry and the function keys of a sale
// (F2 search, F4/* quantity, Del/F5 remove, F6 discount, F7 park, F8 recall, F9 void, F12/+/End pay,
// Alt+O no-sale drawer). Loose items are weighed on the scale, or typed in when there is none.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Cart, ParkedCartSummary, PaymentResult, ProductView } from '../../../contract';
import { ApiError } from '../api';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError, localError } from '../components/error-text';
import { Dialog } from '../components/dialog';
import { usePrompt, useManagerOverride } from '../components/prompt';
import { WeighDialog, type WeighResult } from '../components/weigh-dialog';
import { formatFen, parseGrams, parseYuan } from '../format';
import { CartView } from './cart-view';
import { ProductSearch } from './product-search';
import { PaymentDialog } from './payment-dialog';
import { ReceiptDialog } from './receipt-dialog';

export function TillScreen() {
  const { api, t, lang, showError, clearError, showInfo, subscribe } = useApp();
  const [cart, setCart] = useState<Cart | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [entry, setEntry] = useState('');
  const [paying, setPaying] = useState(false);
  const [paid, setPaid] = useState<PaymentResult | null>(null);
  const [parked, setParked] = useState<ParkedCartSummary[] | null>(null);
  const [weighing, setWeighing] = useState<{ pricePerKg: number; name: string; resolve: (r: WeighResult) => void } | null>(null);
  const weigh = (pricePerKg: number, name: string) => new Promise<WeighResult>((resolve) => setWeighing({ pricePerKg, name, resolve }))
    .finally(() => setWeighing(null));
  const searchRef = useRef<HTMLInputElement>(null);
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);
  // Calls that change the cart run one after another so a fast series of scans lands in order.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const serial = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.current.then(fn, fn);
    queue.current = next.catch(() => undefined);
    return next;
  }, []);

  const refresh = useCallback(() => serial(async () => {
    const r = await api.call('cart.get', {});
    setCart(r.cart);
    setSelected((s) => (s && r.cart.lines.some((l) => l.lineId === s) ? s : r.cart.lines.at(-1)?.lineId ?? null));
  }).catch(showError), [api, serial, showError]);

  useEffect(() => { void refresh(); }, [refresh]);
  // The terminal has one open cart; events keep this screen in step with other sessions (and a
  // customer display). An event older than what a response already showed is ignored.
  useEffect(() => subscribe((ev) => {
    // A quantity or weight change took a discount over the limit and the core took it off: say so.
    if (ev.type === 'cart.discountRemoved') { showInfo(t('till.discountRemoved', { name: lang === 'zh-CN' ? ev.name : ev.nameEn || ev.name })); return; }
    if (ev.type !== 'cart.changed') return;
    setCart((prev) => (!prev || prev.id !== ev.cart.id || ev.cart.updatedAt >= prev.updatedAt ? ev.cart : prev));
  }), [subscribe, showInfo, t, lang]);

  const line = cart?.lines.find((l) => l.lineId === selected) ?? null;
  const lineName = line ? (lang === 'zh-CN' ? line.name : line.nameEn || line.name) : '';

  const askGrams = async (name: string, message?: string): Promise<number | null> => {
    const v = await ask({
      title: t('weight.title', { name }), testid: 'weight-dialog', ...(message ? { message } : {}),
      fields: [{ name: 'grams', label: t('weight.label'), kind: 'grams', testid: 'weight-input' }],
      onSubmit: async (vals) => { if (parseGrams(vals.grams ?? '') === null) throw fieldError(t, t('weight.label')); },
    });
    return v ? parseGrams(v.grams ?? '') : null;
  };

  const addProduct = async (p: ProductView, quantity?: number) => {
    clearError();
    try {
      let weightGrams: number | undefined;
      if (p.unit === 'weighed') {
        const name = lang === 'zh-CN' ? p.name : p.nameEn || p.name;
        // The scale first; typed grams when there is no scale (or the cashier asks for it).
        const weighed = await weigh(p.price, name);
        if (weighed === null) return;
        const g = 'grams' in weighed ? weighed.grams : await askGrams(name, weighed.manual ?? undefined);
        if (g === null) return;
        weightGrams = g;
      }
      const r = await serial(() => api.call('cart.add', { sku: p.sku, ...(quantity ? { quantity } : {}), ...(weightGrams ? { weightGrams } : {}) }));
      setCart(r.cart);
      setSelected(r.lineId);
    } catch (err) { showError(err); }
  };

  const scan = async (code: string) => {
    clearError();
    setEntry('');
    try {
      const r = await serial(() => api.call('cart.scan', { code }));
      setCart(r.cart);
      setSelected(r.lineId);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WEIGHT_REQUIRED') {
        const details = err.details as { sku?: string } | undefined;
        try {
          const product = details?.sku
            ? (await api.call('catalog.get', { sku: details.sku })).product
            : (await api.call('catalog.search', { query: code, limit: 1 })).products[0];
          if (product) { await addProduct({ ...product, unit: 'weighed' }); return; }
        } catch (inner) { showError(inner); return; }
      }
      showError(err);
    }
  };

  const needLine = (): boolean => {
    if (line) return true;
    showInfo(t('till.noLine'));
    return false;
  };

  const setQuantity = async () => {
    if (!line || !needLine()) return;
    clearError();
    let value: number | null = entry ? Number(entry) : null;
    setEntry('');
    if ((value === null || !Number.isInteger(value) || value <= 0) && line.unit === 'weighed') {
      // Re-weigh a loose line on the scale; typed grams when there is none.
      const weighed = await weigh(line.unitPrice, lineName);
      if (weighed === null) return;
      value = 'grams' in weighed ? weighed.grams : await askGrams(lineName, weighed.manual ?? undefined);
      if (value === null) return;
    } else if (value === null || !Number.isInteger(value) || value <= 0) {
      const v = await ask({
        title: t('qty.title', { name: lineName }), testid: 'qty-dialog',
        fields: [{ name: 'v', label: line.unit === 'weighed' ? t('weight.label') : t('till.col.qty'), kind: 'digits', testid: 'qty-input' }],
      });
      value = v ? Number(v.v) : null;
      if (value === null || !Number.isInteger(value) || value <= 0) return;
    }
    try {
      const input = line.unit === 'weighed' ? { lineId: line.lineId, weightGrams: value } : { lineId: line.lineId, quantity: value };
      const r = await serial(() => api.call('cart.setQuantity', input));
      setCart(r.cart);
    } catch (err) { showError(err); }
  };

  const remove = async () => {
    if (!line || !needLine()) return;
    clearError();
    try {
      const r = await serial(() => api.call('cart.remove', { lineId: line.lineId }));
      setCart(r.cart);
      setSelected(r.cart.lines.at(-1)?.lineId ?? null);
    } catch (err) { showError(err); }
  };

  const discount = async () => {
    if (!line || !needLine()) return;
    clearError();
    const v = await ask({
      title: t('discount.title', { name: lineName }), testid: 'discount-dialog',
      fields: [
        { name: 'kind', label: '', kind: 'text', testid: 'discount-kind', options: [{ value: 'percent', label: t('discount.percent') }, { value: 'amount', label: t('discount.amount') }] },
        { name: 'value', label: t('discount.value'), kind: 'yuan', testid: 'discount-value' },
      ],
      onSubmit: async (vals) => {
        const ok = vals.kind === 'percent' ? /^\d{1,3}$/.test(vals.value ?? '') : parseYuan(vals.value ?? '') !== null;
        if (!ok) throw fieldError(t, t('discount.value'));
      },
    });
    if (!v) return;
    const kind = v.kind === 'amount' ? 'amount' : 'percent';
    const value = kind === 'percent' ? Number(v.value) : parseYuan(v.value ?? '') ?? 0;
    try {
      const r = await override((managerPin) => serial(() => api.call('cart.lineDiscount', { lineId: line.lineId, kind, value, ...(managerPin ? { managerPin } : {}) })));
      if (r) setCart(r.cart);
    } catch (err) { showError(err); }
  };

  const park = async () => {
    clearError();
    try {
      const r = await serial(() => api.call('cart.park', {}));
      setCart(r.cart);
      setSelected(null);
      showInfo(t('till.parked'));
    } catch (err) { showError(err); }
  };

  const openRecall = async () => {
    clearError();
    try { setParked((await api.call('cart.parked', {})).carts); } catch (err) { showError(err); }
  };

  const recall = async (parkedId: string) => {
    setParked(null);
    try {
      const r = await serial(() => api.call('cart.recall', { parkedId }));
      setCart(r.cart);
      setSelected(r.cart.lines.at(-1)?.lineId ?? null);
    } catch (err) { showError(err); }
  };

  /** Asks for a reason (required); resolves with it trimmed, or null when the cashier cancels. */
  const askReason = async (title: string, testid: string, fieldTestid: string): Promise<string | null> => {
    const v = await ask({
      title, testid,
      fields: [{ name: 'reason', label: t('reason'), kind: 'text', testid: fieldTestid }],
      onSubmit: async (vals) => { if (!(vals.reason ?? '').trim()) throw fieldError(t, t('reason')); },
    });
    return v ? (v.reason ?? '').trim() : null;
  };

  const voidSale = async () => {
    clearError();
    const reason = await askReason(t('void.title'), 'void-dialog', 'void-reason');
    if (reason === null) return;
    try {
      const r = await override((managerPin) => serial(() => api.call('cart.void', { reason, ...(managerPin ? { managerPin } : {}) })));
      if (r) { setCart(r.cart); setSelected(null); showInfo(t('till.voided')); }
    } catch (err) { showError(err); }
  };

  // No-sale (开钱箱): a reason, and a manager PIN when a cashier asks. The core audits it.
  const openDrawer = async () => {
    clearError();
    const reason = await askReason(t('drawer.title'), 'drawer-dialog', 'drawer-reason');
    if (reason === null) return;
    try {
      const r = await override((managerPin) => api.call('devices.openDrawer', { reason, ...(managerPin ? { managerPin } : {}) }));
      if (r) showInfo(t('drawer.opened'));
    } catch (err) { showError(err); }
  };

  const pay = () => {
    clearError();
    if (!cart || cart.lines.length === 0) { showError(localError('CART_EMPTY', t('till.empty'))); return; }
    setPaying(true);
  };

  const moveSelection = (delta: number) => {
    const lines = cart?.lines ?? [];
    if (lines.length === 0) return;
    const i = lines.findIndex((l) => l.lineId === selected);
    const next = Math.min(lines.length - 1, Math.max(0, (i < 0 ? lines.length : i) + delta));
    setSelected(lines[next]?.lineId ?? null);
  };

  useKeyScope(LAYER.screen, {
    onScan: (code) => void scan(code),
    onKey: (key, ev) => {
      if (ev?.altKey && (key === 'o' || key === 'O')) { void openDrawer(); return true; }
      if (/^[0-9.]$/.test(key)) { setEntry((e) => (e.length < 24 ? e + key : e)); return true; }
      switch (key) {
        case 'Backspace': setEntry((e) => e.slice(0, -1)); return true;
        case 'Escape': setEntry(''); clearError(); return true;
        case 'F2': searchRef.current?.focus(); searchRef.current?.select(); return true;
        case '*': case 'F4': void setQuantity(); return true;
        case 'Delete': case 'F5': void remove(); return true;
        case 'F6': void discount(); return true;
        case 'F7': void park(); return true;
        case 'F8': void openRecall(); return true;
        case 'F9': void voidSale(); return true;
        case 'F12': case '+': case 'End': pay(); return true;
        case 'ArrowUp': moveSelection(-1); return true;
        case 'ArrowDown': moveSelection(1); return true;
        case 'Enter': if (entry) { void scan(entry); return true; } return false;
        default: return false;
      }
    },
  });

  return (
    <div className="till">
      <section className="till-left">
        <CartView cart={cart} selected={selected} onSelect={setSelected} />
      </section>
      <section className="till-right">
        <ProductSearch ref={searchRef} onPick={(p) => void addProduct(p, entry && /^\d+$/.test(entry) ? Number(entry) : undefined).then(() => setEntry(''))} />
        <div className="entry" data-testid="numpad-entry"><span>{t('till.entry')}</span><b>{entry}</b></div>
        <div className="totals">
          <div><span>{t('till.subtotal')}</span><span data-testid="cart-subtotal">{formatFen(cart?.subtotal ?? 0)}</span></div>
          <div><span>{t('till.discount')}</span><span data-testid="cart-discount">{cart && cart.discount > 0 ? `-${formatFen(cart.discount)}` : formatFen(0)}</span></div>
          <div className="items"><span>{t('till.items', { n: cart?.itemCount ?? 0 })}</span></div>
          <div className="total"><span>{t('till.total')}</span><span data-testid="cart-total">{formatFen(cart?.total ?? 0)}</span></div>
        </div>
        <div className="actions">
          <button type="button" data-testid="qty-button" onClick={() => void setQuantity()}>{t('till.qty')}</button>
          <button type="button" data-testid="remove-button" onClick={() => void remove()}>{t('till.remove')}</button>
          <button type="button" data-testid="discount-button" onClick={() => void discount()}>{t('till.lineDiscount')}</button>
          <button type="button" data-testid="park-button" onClick={() => void park()}>{t('till.park')}</button>
          <button type="button" data-testid="recall-button" onClick={() => void openRecall()}>{t('till.recall')}</button>
          <button type="button" data-testid="void-button" onClick={() => void voidSale()}>{t('till.void')}</button>
          <button type="button" data-testid="drawer-button" onClick={() => void openDrawer()}>{t('drawer.button')}</button>
        </div>
        <button type="button" className="primary pay" data-testid="pay-button" onClick={pay}>{t('till.pay')}</button>
      </section>
      {parked && (
        <Dialog title={t('recall.title')} testid="recall-dialog" onCancel={() => setParked(null)}
          onKey={(k) => { const n = Number(k); const c = parked[n - 1]; if (c) { void recall(c.parkedId); return true; } return false; }}>
          {parked.length === 0 && <p>{t('recall.none')}</p>}
          <ol className="pick-list">
            {parked.map((c, i) => (
              <li key={c.parkedId}>
                <button type="button" data-testid="parked-cart" onClick={() => void recall(c.parkedId)}>
                  <span>{i + 1}. {c.label}</span><span>{t('till.items', { n: c.itemCount })}</span><span>{formatFen(c.total)}</span>
                </button>
              </li>
            ))}
          </ol>
          <div className="buttons"><button type="button" onClick={() => setParked(null)}>{t('cancel')}</button></div>
        </Dialog>
      )}
      {paying && cart && (
        <PaymentDialog cart={cart} onCancel={() => setPaying(false)}
          onPaid={(r) => { setPaying(false); setPaid(r); }} />
      )}
      {paid && <ReceiptDialog result={paid} onNext={() => { setPaid(null); setSelected(null); void refresh(); }} />}
      {weighing && <WeighDialog pricePerKg={weighing.pricePerKg} name={weighing.name} onDone={weighing.resolve} />}
      {promptEl}
    </div>
  );
}
