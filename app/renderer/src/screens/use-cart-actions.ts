// What the cashier does to the sale on the till screen: add, scan, quantity, remove, discount,
// park and recall, void, no-sale drawer, and starting payment. Each action clears the last
// error, asks for what it needs (grams, a reason, a manager PIN) and shows the core's error.
import { useState } from 'react';
import type { ParkedCartSummary, ProductView } from '../../../contract';
import { ApiError } from '../api';
import { useApp } from '../app-context';
import { fieldError, localError } from '../components/error-text';
import type { Ask } from '../components/prompt';
import { useManagerOverride } from '../components/prompt';
import type { PickReason } from '../components/reason-picker';
import { parseYuan } from '../format';
import { useScanQueue } from './use-scan-queue';
import type { TillCart } from './use-till-cart';

/** 18-digit payment codes: WeChat Pay starts 10–15, Alipay 25–30. */
const PAYMENT_CODE = /^(1[0-5]|2[5-9]|30)\d{16}$/;
/** A coupon: the member's QR (`coupon:<code>`) or a code the cloud issued (`CPN…`). */
const COUPON_CODE = /^(coupon:.+|CPN[A-Z0-9-]{3,37})$/i;

export interface CartActionDeps {
  till: TillCart;
  ask: Ask;
  /** The store's preset reasons plus "other" (void, no-sale). */
  pickReason: PickReason;
  weighGrams(pricePerKg: number, name: string): Promise<number | null>;
  /** The numpad entry: a quantity for the next action, or a code typed by hand. */
  entry: string;
  setEntry(entry: string): void;
}

export function useCartActions({ till, ask, pickReason, weighGrams, entry, setEntry }: CartActionDeps) {
  const { api, t, lang, showError, clearError, showInfo, requireShift } = useApp();
  const override = useManagerOverride(ask);
  const { cart, setCart, setSelected, line, serial } = till;
  const [paying, setPaying] = useState(false);
  const [parked, setParked] = useState<ParkedCartSummary[] | null>(null);
  const lineName = line ? (lang === 'zh-CN' ? line.name : line.nameEn || line.name) : '';

  const addProduct = async (p: ProductView, quantity?: number) => {
    clearError();
    try {
      let weightGrams: number | undefined;
      if (p.unit === 'weighed') {
        const g = await weighGrams(p.price, lang === 'zh-CN' ? p.name : p.nameEn || p.name);
        if (g === null) return;
        weightGrams = g;
      }
      const r = await serial(() =>
        api.call('cart.add', {
          sku: p.sku,
          ...(quantity ? { quantity } : {}),
          ...(weightGrams ? { weightGrams } : {}),
        }),
      );
      setCart(r.cart);
      setSelected(r.lineId);
    } catch (err) {
      showError(err);
    }
  };

  /** Resolves false when the till host could not be reached (the queue keeps the code). */
  const scanOnce = async (code: string): Promise<boolean> => {
    clearError();
    setEntry('');
    // A customer's WeChat (10–15…) or Alipay (25–30…) payment code scanned before F12: say what
    // to do instead of a GS1 complaint about the 18 digits (issue 13 item 8). The core is asked
    // first: an 18-digit scale label (26 + PLU + amount + weight) looks the same and is an item.
    const maybePaymentCode = PAYMENT_CODE.test(code);
    if (COUPON_CODE.test(code)) {
      try {
        setCart((await serial(() => api.call('cart.applyCoupon', { code }))).cart);
      } catch (err) {
        // The host is restarting (web mode): the queue keeps the coupon and replays it.
        if (err instanceof ApiError && err.code === 'OFFLINE') return false;
        showError(err);
      }
      return true;
    }
    try {
      const r = await serial(() => api.call('cart.scan', { code }));
      setCart(r.cart);
      // A member code attaches the member and adds no line: the selection stays.
      if (r.lineId) setSelected(r.lineId);
    } catch (err) {
      // The host is restarting (web mode): the queue keeps the scan and replays it.
      if (err instanceof ApiError && err.code === 'OFFLINE') return false;
      if (
        maybePaymentCode &&
        err instanceof ApiError &&
        (err.code === 'BARCODE_INVALID' || err.code === 'PRODUCT_NOT_FOUND')
      ) {
        showInfo((tr) => tr(cart && cart.lines.length > 0 ? 'till.paymentCodeHint' : 'till.paymentCodeEmpty'));
        return true;
      }
      if (err instanceof ApiError && err.code === 'WEIGHT_REQUIRED') {
        const details = err.details as { sku?: string } | undefined;
        try {
          const product = details?.sku
            ? (await api.call('catalog.get', { sku: details.sku })).product
            : (await api.call('catalog.search', { query: code, limit: 1 })).products[0];
          if (product) {
            await addProduct({ ...product, unit: 'weighed' });
            return true;
          }
        } catch (inner) {
          showError(inner);
          return true;
        }
      }
      showError(err);
    }
    return true;
  };
  const scanQueue = useScanQueue(api, scanOnce);

  const needLine = (): boolean => {
    if (line) return true;
    showInfo((tr) => tr('till.noLine'));
    return false;
  };

  const setQuantity = async () => {
    if (!line || !needLine()) return;
    clearError();
    let value: number | null = entry ? Number(entry) : null;
    setEntry('');
    if ((value === null || !Number.isInteger(value) || value <= 0) && line.unit === 'weighed') {
      // Re-weigh a loose line on the scale; typed grams when there is none.
      value = await weighGrams(line.unitPrice, lineName);
      if (value === null) return;
    } else if (value === null || !Number.isInteger(value) || value <= 0) {
      const v = await ask({
        title: t('qty.title', { name: lineName }),
        testid: 'qty-dialog',
        fields: [
          {
            name: 'v',
            label: line.unit === 'weighed' ? t('weight.label') : t('till.col.qty'),
            kind: 'digits',
            testid: 'qty-input',
          },
        ],
      });
      value = v ? Number(v.v) : null;
      if (value === null || !Number.isInteger(value) || value <= 0) return;
    }
    try {
      const input =
        line.unit === 'weighed'
          ? { lineId: line.lineId, weightGrams: value }
          : { lineId: line.lineId, quantity: value };
      const r = await serial(() => api.call('cart.setQuantity', input));
      setCart(r.cart);
    } catch (err) {
      showError(err);
    }
  };

  const remove = async () => {
    if (!line || !needLine()) return;
    clearError();
    try {
      const r = await serial(() => api.call('cart.remove', { lineId: line.lineId }));
      setCart(r.cart);
      setSelected(r.cart.lines.at(-1)?.lineId ?? null);
    } catch (err) {
      showError(err);
    }
  };

  const discount = async () => {
    if (!line || !needLine()) return;
    clearError();
    const v = await ask({
      title: t('discount.title', { name: lineName }),
      testid: 'discount-dialog',
      fields: [
        {
          name: 'kind',
          label: '',
          kind: 'text',
          testid: 'discount-kind',
          options: [
            { value: 'percent', label: t('discount.percent') },
            { value: 'amount', label: t('discount.amount') },
          ],
        },
        { name: 'value', label: t('discount.value'), kind: 'yuan', testid: 'discount-value' },
      ],
      onSubmit: async (vals) => {
        const ok = vals.kind === 'percent' ? /^\d{1,3}$/.test(vals.value ?? '') : parseYuan(vals.value ?? '') !== null;
        if (!ok) throw fieldError(t, t('discount.value'));
      },
    });
    if (!v) return;
    const kind = v.kind === 'amount' ? 'amount' : 'percent';
    const value = kind === 'percent' ? Number(v.value) : (parseYuan(v.value ?? '') ?? 0);
    try {
      const r = await override((approval) =>
        serial(() => api.call('cart.lineDiscount', { lineId: line.lineId, kind, value, ...approval })),
      );
      if (r) setCart(r.cart);
    } catch (err) {
      showError(err);
    }
  };

  const park = async () => {
    clearError();
    try {
      const r = await serial(() => api.call('cart.park', {}));
      setCart(r.cart);
      setSelected(null);
      showInfo((tr) => tr('till.parked'));
    } catch (err) {
      showError(err);
    }
  };

  const openRecall = async () => {
    clearError();
    try {
      setParked((await api.call('cart.parked', {})).carts);
    } catch (err) {
      showError(err);
    }
  };

  const recall = async (parkedId: string) => {
    setParked(null);
    try {
      const r = await serial(() => api.call('cart.recall', { parkedId }));
      setCart(r.cart);
      setSelected(r.cart.lines.at(-1)?.lineId ?? null);
    } catch (err) {
      showError(err);
    }
  };

  const voidSale = async () => {
    clearError();
    const picked = await pickReason('void', t('void.title'), 'void-dialog');
    if (picked === null) return;
    try {
      const r = await override((approval) => serial(() => api.call('cart.void', { ...picked, ...approval })));
      if (r) {
        setCart(r.cart);
        setSelected(null);
        showInfo((tr) => tr('till.voided'));
      }
    } catch (err) {
      showError(err);
    }
  };

  // No-sale (开钱箱): a reason, and a manager PIN when a cashier asks. The core audits it.
  const openDrawer = async () => {
    clearError();
    const picked = await pickReason('noSale', t('drawer.title'), 'drawer-dialog');
    if (picked === null) return;
    try {
      const r = await override((approval) => api.call('devices.openDrawer', { ...picked, ...approval }));
      if (r) showInfo((tr) => tr('drawer.opened'));
    } catch (err) {
      showError(err);
    }
  };

  const pay = async () => {
    clearError();
    // Scans still waiting for the host belong in this sale before anyone takes money for it.
    if (scanQueue.queued.length > 0) {
      showInfo((tr) => tr('till.scansWaiting', { n: scanQueue.queued.length }));
      return;
    }
    if (!cart || cart.lines.length === 0) {
      showError(localError('CART_EMPTY', t('till.empty')));
      return;
    }
    // No shift (e.g. after the Z close): the float prompt first; Esc there leaves the sale unpaid.
    if (!(await requireShift())) {
      showError(localError('SHIFT_NOT_OPEN', t('till.shiftRequired')));
      return;
    }
    setPaying(true);
  };

  // A coupon code typed by hand (Alt+C): the dialog stays open with the core's answer until it fits.
  const typeCoupon = async () => {
    clearError();
    await ask({
      title: t('till.coupon.title'),
      testid: 'coupon-dialog',
      fields: [{ name: 'code', label: t('till.coupon'), kind: 'text', testid: 'coupon-code-input' }],
      onSubmit: async (vals) => {
        const code = (vals.code ?? '').trim();
        if (!code) throw fieldError(t, t('till.coupon'));
        setCart((await serial(() => api.call('cart.applyCoupon', { code }))).cart);
      },
    });
  };

  const removeCoupon = async () => {
    clearError();
    try {
      setCart((await serial(() => api.call('cart.removeCoupon', {}))).cart);
    } catch (err) {
      showError(err);
    }
  };

  return {
    addProduct,
    removeCoupon,
    typeCoupon,
    scan: scanQueue.scan,
    queuedScans: scanQueue.queued,
    discardQueuedScans: scanQueue.discard,
    setQuantity,
    remove,
    discount,
    park,
    openRecall,
    recall,
    voidSale,
    openDrawer,
    pay,
    paying,
    setPaying,
    parked,
    setParked,
  };
}

export type CartActions = ReturnType<typeof useCartActions>;
