// Waste (报损): one product by scan or search (F2), a reason code (变质 过期 破损 试吃 加工损耗 盗损,
// ↑/↓ or a tap), the count or the weight (weighed goods read the scale, F4 again), with the
// stock on hand and the value at cost shown as it is typed. Enter writes it off (stock.waste).
// Above the store's limit a cashier is asked for a manager's PIN (a manager approves their own);
// more than on hand asks to confirm first, since that is usually a miscount or the wrong product.
import { useRef, useState } from 'react';
import type { ProductView, StockView, WasteReason } from '../../../contract';
import { ApiError } from '../api';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError, localError, toShownError } from '../components/error-text';
import { useManagerOverride, usePrompt } from '../components/prompt';
import { formatFen, parseGrams } from '../format';
import { ProductSearch } from './product-search';
import { findProductByCode, formatStockQuantity, useReleaseTabFocus } from './stock-lookup';
import { useWeighing } from './use-weighing';

const REASONS: WasteReason[] = ['spoiled', 'expired', 'damaged', 'tasting', 'processing', 'theft'];

interface Written {
  id: string;
  name: string;
  reason: WasteReason;
  quantity: number;
  unit: 'each' | 'weighed';
  cost: number;
}

export function WasteView() {
  const { api, t, lang, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const override = useManagerOverride(ask);
  const { weighGrams, weighDialog } = useWeighing(ask);
  const [product, setProduct] = useState<ProductView | null>(null);
  const [stock, setStock] = useState<StockView | null>(null);
  const [reason, setReason] = useState(0);
  const [amount, setAmount] = useState('');
  const [written, setWritten] = useState<Written[]>([]);
  const [busy, setBusy] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  useReleaseTabFocus();
  const nameOf = (p: ProductView) => (lang === 'zh-CN' ? p.name : p.nameEn || p.name);

  const weigh = async (p: ProductView) => {
    const grams = await weighGrams(p.price, nameOf(p));
    if (grams !== null) setAmount(String(grams));
    amountRef.current?.focus();
  };

  const pick = async (p: ProductView) => {
    try {
      setProduct(p);
      setAmount('');
      setStock(await api.call('stock.get', { sku: p.sku }));
      amountRef.current?.focus();
      if (p.unit === 'weighed') await weigh(p);
    } catch (err) {
      showError(err);
    }
  };

  const onScan = async (code: string) => {
    try {
      const p = await findProductByCode(api, code);
      if (!p) throw localError('PRODUCT_NOT_FOUND', t('rc.notFound', { code }));
      await pick(p);
    } catch (err) {
      showError(err);
    }
  };

  const quantity =
    product?.unit === 'weighed' ? parseGrams(amount) : /^\s*\d{1,7}\s*$/.test(amount) ? Number(amount) : null;
  const unitCost = stock?.unitCost ?? null;
  const value =
    quantity === null || !product
      ? null
      : product.unit === 'weighed'
        ? Math.round(((unitCost ?? 0) * quantity) / 1000)
        : (unitCost ?? 0) * quantity;
  const overStock = quantity !== null && stock !== null && quantity > stock.onHand;

  const submit = async () => {
    if (!product || busy) return;
    const label = product.unit === 'weighed' ? t('ws.weight') : t('ws.quantity');
    if (quantity === null || quantity <= 0) {
      showError(fieldError(t, label));
      return;
    }
    const code = REASONS[reason]!;
    const write = (confirmShortage: boolean) =>
      override((approval) =>
        api.call('stock.waste', {
          sku: product.sku,
          reason: code,
          ...(product.unit === 'weighed' ? { weightGrams: quantity } : { quantity }),
          ...approval,
          ...(confirmShortage ? { confirmShortage: true } : {}),
        }),
      );
    setBusy(true);
    try {
      let r: Awaited<ReturnType<typeof write>>;
      try {
        r = await write(false);
      } catch (err) {
        const why = err instanceof ApiError ? (err.details as { reason?: string } | undefined)?.reason : undefined;
        if (!(err instanceof ApiError && err.code === 'CONFLICT' && why === 'waste-exceeds-stock')) throw err;
        const ok = await ask({
          title: t('ws.confirmTitle'),
          message: toShownError(err, t).message,
          testid: 'ws-confirm-dialog',
          fields: [],
        });
        if (!ok) return;
        r = await write(true);
      }
      if (!r) return;
      const w: Written = {
        id: r.movementId,
        name: nameOf(product),
        reason: r.reason,
        quantity: r.quantity,
        unit: product.unit,
        cost: r.cost,
      };
      setWritten((ws) => [w, ...ws].slice(0, 20));
      showInfo((tr) => tr('ws.done', { name: w.name, value: formatFen(w.cost) }));
      setProduct(null);
      setStock(null);
      setAmount('');
      searchRef.current?.focus();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  useKeyScope(LAYER.screen, {
    onScan: (code) => void onScan(code),
    onKey: (k) => {
      if (k === 'F2') {
        searchRef.current?.focus();
        return true;
      }
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        setReason((i) => (i + (k === 'ArrowDown' ? 1 : REASONS.length - 1)) % REASONS.length);
        return true;
      }
      if (/^[1-6]$/.test(k)) {
        setReason(Number(k) - 1);
        return true;
      }
      if (k === 'F4' && product?.unit === 'weighed') {
        void weigh(product);
        return true;
      }
      if (k === 'Enter' && product) {
        void submit();
        return true;
      }
      return false;
    },
  });

  return (
    <div data-testid="waste-view">
      {promptEl}
      {weighDialog}
      <div className="row reports-bar">
        <ProductSearch ref={searchRef} onPick={(p) => void pick(p)} />
      </div>
      <p className="muted">{t('ws.keys')}</p>
      {!product && <p data-testid="ws-empty">{t('ws.pick')}</p>}
      {product && (
        <div className="waste-form" data-testid="ws-form" data-sku={product.sku}>
          <p>
            <b data-testid="ws-product">{nameOf(product)}</b> <small className="muted">{product.sku}</small>
            {stock && (
              <span data-testid="ws-on-hand" data-on-hand={stock.onHand}>
                {' · '}
                {t('ws.onHand', { n: formatStockQuantity(product.unit, stock.onHand) })}
              </span>
            )}
          </p>
          <div className="segmented" role="radiogroup" aria-label={t('ws.reason')} data-testid="ws-reasons">
            {REASONS.map((r, i) => (
              <button
                key={r}
                type="button"
                role="radio"
                aria-checked={i === reason}
                data-testid={`ws-reason-${r}`}
                className={i === reason ? 'on' : ''}
                onClick={() => setReason(i)}
              >
                {i + 1}. {t(`ws.reason.${r}`)}
              </button>
            ))}
          </div>
          <label className="field">
            <span>{product.unit === 'weighed' ? t('ws.weight') : t('ws.quantity')}</span>
            <input
              ref={amountRef}
              data-testid="ws-amount"
              inputMode="numeric"
              autoComplete="off"
              value={amount}
              onChange={(e) => setAmount(e.target.value.replace(/\D/g, '').slice(0, 8))}
            />
            {product.unit === 'weighed' && (
              <button type="button" data-testid="ws-weigh" onClick={() => void weigh(product)}>
                {t('ws.weigh')}
              </button>
            )}
          </label>
          <p data-testid="ws-value" data-value={value ?? ''}>
            {value !== null && t('ws.value', { value: formatFen(value) })}
            {stock && stock.unitCost === null && <small className="muted"> {t('ws.noCost')}</small>}
          </p>
          {overStock && (
            <p className="sync-banner" data-testid="ws-over-stock">
              {t('ws.overStock')}
            </p>
          )}
          <button
            type="button"
            className="primary"
            data-testid="ws-submit"
            disabled={busy || quantity === null}
            onClick={() => void submit()}
          >
            {t('ws.submit')}
          </button>
        </div>
      )}
      {written.length > 0 && (
        <table className="list" data-testid="ws-recent">
          <caption>{t('ws.recent')}</caption>
          <tbody>
            {written.map((w) => (
              <tr key={w.id} data-testid="ws-recent-row">
                <td>{w.name}</td>
                <td>{t(`ws.reason.${w.reason}`)}</td>
                <td className="num">{formatStockQuantity(w.unit, w.quantity)}</td>
                <td className="num">{formatFen(w.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
