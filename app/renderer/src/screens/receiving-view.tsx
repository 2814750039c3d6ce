// The back office's receiving (收货): goods arriving, ad hoc or against one of this till's open
// purchase orders (replenishment.orders). Lines come by scan or search (F2); a weighed line takes
// its weight from the scale (devices.readWeight), a counted one a quantity, both a unit cost.
// Against an order each line shows what was still outstanding and the variance. Ctrl+Enter
// posts stock.receive; the till prints the receiving note on the receipt printer.
// Keyboard: P picks the purchase order, ↑/↓ a line, Enter edits it, Delete removes it.
import { useCallback, useRef, useState } from 'react';
import type { ProductView, PurchaseOrder, ReceiveResult, ReceivingNotePrintout } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { fieldError, localError } from '../components/error-text';
import { usePrompt } from '../components/prompt';
import { formatFen, parseGrams, parseYuan } from '../format';
import { ProductSearch } from './product-search';
import { findProductByCode, formatStockQuantity, useReleaseTabFocus } from './stock-lookup';
import { useWeighing } from './use-weighing';
import { useLatestLoad } from '../use-latest-load';

interface DraftLine {
  sku: string;
  name: string;
  nameEn: string;
  unit: 'each' | 'weighed';
  /** Sale price (per item or per kg), shown while weighing. */
  price: number;
  /** Still outstanding on the purchase order (items or grams); null: not ordered. */
  ordered: number | null;
  /** Received (items or grams); null: not yet. */
  quantity: number | null;
  /** fen per item or per kg; null: not yet. */
  unitCost: number | null;
}

const outstandingOf = (o: PurchaseOrder) =>
  o.lines
    .map((l) => ({ sku: l.sku, quantity: l.quantity - l.received, unitCost: l.unitCost ?? null }))
    .filter((l) => l.quantity > 0);

/** Items, or grams typed as digits; null when not a positive whole number. */
const parseQuantity = (unit: 'each' | 'weighed', s: string) =>
  unit === 'weighed' ? parseGrams(s) : /^\s*\d{1,7}\s*$/.test(s) && Number(s) > 0 ? Number(s) : null;
const yuanText = (fen: number | null) =>
  fen === null ? '' : `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export function ReceivingView() {
  const { api, t, lang, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const { weighGrams, weighDialog } = useWeighing(ask);
  const [po, setPo] = useState<PurchaseOrder | null>(null);
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [sel, setSel] = useState(0);
  const [done, setDone] = useState<(ReceiveResult & { note: ReceivingNotePrintout }) | null>(null);
  const [busy, setBusy] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  useReleaseTabFocus();
  const nameOf = (l: { name: string; nameEn: string }) => (lang === 'zh-CN' ? l.name : l.nameEn || l.name);

  // The open orders; P right after the tab opens waits for them rather than offering only "ad hoc".
  const fetchOrders = useCallback(
    async () =>
      (await api.call('replenishment.orders', { limit: 50 })).orders.filter(
        (o) => o.status === 'sent' || o.status === 'partly_received',
      ),
    [api],
  );
  const { reload: loadOrders, latest: openOrders } = useLatestLoad(fetchOrders, [] as PurchaseOrder[]);

  /** Starts receiving against an order: its outstanding lines, nothing received yet. */
  const startFromPo = async (order: PurchaseOrder | null) => {
    setPo(order);
    setDone(null);
    setSel(0);
    if (!order) {
      setLines([]);
      return;
    }
    try {
      const drafts: DraftLine[] = [];
      for (const l of outstandingOf(order)) {
        const { product: p } = await api.call('catalog.get', { sku: l.sku });
        // Head office's order may name the unit cost; the manager can still change it.
        drafts.push({
          ...fromProduct(p),
          ordered: l.quantity,
          ...(l.unitCost !== null ? { unitCost: l.unitCost } : {}),
        });
      }
      setLines(drafts);
    } catch (err) {
      showError(err);
    }
  };

  const pickPo = async () => {
    const orders = await openOrders();
    const options = [
      { value: '', label: t('rc.adHoc') },
      ...orders.map((o) => ({
        value: o.id,
        label:
          (o.origin === 'hq' ? `${t('rc.fromHq')} · ` : '') +
          t('rc.poOption', { day: o.day, n: outstandingOf(o).length }) +
          (o.status === 'partly_received' ? ` · ${t('rc.partly')}` : ''),
      })),
    ];
    const v = await ask({
      title: t('rc.pickPo'),
      testid: 'rc-po-dialog',
      fields: [{ name: 'po', label: t('rc.po'), kind: 'text', testid: 'rc-po', options, initial: po?.id ?? '' }],
    });
    if (v) await startFromPo(orders.find((o) => o.id === v['po']) ?? null);
  };

  /** Asks the received quantity (weighed: the scale first) and the unit cost of line `i`. */
  const editLine = async (line: DraftLine): Promise<void> => {
    let initial = line.quantity === null ? '' : String(line.quantity);
    if (line.unit === 'weighed') {
      const grams = await weighGrams(line.price, nameOf(line));
      if (grams === null) return;
      initial = String(grams);
    }
    const qLabel = line.unit === 'weighed' ? t('rc.weight') : t('rc.quantity');
    const cLabel = line.unit === 'weighed' ? t('rc.costKg') : t('rc.costEach');
    const v = await ask({
      title: t('rc.lineTitle', { name: nameOf(line) }),
      testid: 'rc-line-dialog',
      fields: [
        {
          name: 'quantity',
          label: qLabel,
          kind: line.unit === 'weighed' ? 'grams' : 'digits',
          testid: 'rc-quantity',
          initial,
        },
        { name: 'cost', label: cLabel, kind: 'yuan', testid: 'rc-cost', initial: yuanText(line.unitCost) },
      ],
      onSubmit: async (x) => {
        if (parseQuantity(line.unit, x['quantity'] ?? '') === null) throw fieldError(t, qLabel);
        if (parseYuan(x['cost'] ?? '') === null) throw fieldError(t, cLabel);
      },
    });
    if (!v) return;
    const quantity = parseQuantity(line.unit, v['quantity'] ?? '');
    const unitCost = parseYuan(v['cost'] ?? '');
    setLines((ls) => ls.map((l) => (l.sku === line.sku ? { ...l, quantity, unitCost } : l)));
  };

  const addProduct = async (p: ProductView) => {
    setDone(null);
    const at = lines.findIndex((l) => l.sku === p.sku);
    const line = at >= 0 ? lines[at]! : { ...fromProduct(p), ordered: null };
    if (at < 0) setLines((ls) => [...ls, line]);
    setSel(at >= 0 ? at : lines.length);
    await editLine(line);
  };

  const onScan = async (code: string) => {
    try {
      const p = await findProductByCode(api, code);
      if (!p) throw localError('PRODUCT_NOT_FOUND', t('rc.notFound', { code }));
      await addProduct(p);
    } catch (err) {
      showError(err);
    }
  };

  const post = async () => {
    const received = lines.filter((l) => l.quantity !== null && l.unitCost !== null);
    if (received.length === 0) {
      showInfo((tr) => tr('rc.nothing'));
      return;
    }
    if (busy) return;
    setBusy(true);
    try {
      const r = await api.call('stock.receive', {
        lines: received.map((l) => ({
          sku: l.sku,
          ...(l.unit === 'weighed' ? { weightGrams: l.quantity! } : { quantity: l.quantity! }),
          unitCost: l.unitCost!,
        })),
        ...(po ? { po: { id: po.id, lines: outstandingOf(po) } } : {}),
      });
      setDone(r);
      setLines([]);
      setPo(null);
      setSel(0);
      showInfo((tr) => tr('rc.done', { n: r.lines.length, total: formatFen(r.total) }));
      await loadOrders();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  useKeyScope(LAYER.screen, {
    onScan: (code) => void onScan(code),
    onKey: (k, ev) => {
      if (k === 'Enter' && ev?.ctrlKey) {
        void post();
        return true;
      }
      if (k === 'F2') {
        searchRef.current?.focus();
        return true;
      }
      if (k === 'p' || k === 'P') {
        void pickPo();
        return true;
      }
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        setSel((i) => Math.max(0, Math.min(lines.length - 1, i + (k === 'ArrowDown' ? 1 : -1))));
        return true;
      }
      const line = lines[sel];
      if (k === 'Enter' && line) {
        void editLine(line);
        return true;
      }
      if (k === 'Delete' && line) {
        setLines((ls) => ls.filter((l) => l.sku !== line.sku));
        setSel((i) => Math.max(0, i - 1));
        return true;
      }
      return false;
    },
  });

  const total = lines.reduce((s, l) => s + valueOf(l), 0);
  return (
    <div data-testid="receiving-view">
      {promptEl}
      {weighDialog}
      <div className="row reports-bar">
        <button type="button" data-testid="rc-pick-po" onClick={() => void pickPo()}>
          {t('rc.pickPo')}
        </button>
        <span data-testid="rc-po-current" data-po={po?.id ?? ''}>
          {po
            ? `${po.origin === 'hq' ? `${t('rc.fromHq')} · ` : ''}${t('rc.po')} ${po.day} · ${po.id.slice(-8)}`
            : t('rc.adHoc')}
        </span>
        <span className="spacer" />
        <ProductSearch ref={searchRef} onPick={(p) => void addProduct(p)} />
      </div>
      <p className="muted">{t('rc.keys')}</p>
      <table className="list" data-testid="rc-lines">
        <thead>
          <tr>
            <th>{t('rc.product')}</th>
            <th className="num">{t('rc.ordered')}</th>
            <th className="num">{t('rc.received')}</th>
            <th className="num">{t('rc.variance')}</th>
            <th className="num">{t('rc.unitCost')}</th>
            <th className="num">{t('rc.value')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => {
            const variance = l.ordered === null ? null : (l.quantity ?? 0) - l.ordered;
            return (
              <tr
                key={l.sku}
                data-testid="rc-line"
                data-sku={l.sku}
                data-variance={variance ?? ''}
                className={`${i === sel ? 'on' : ''} ${variance !== null && variance < 0 ? 'warn' : ''}`}
                onClick={() => {
                  setSel(i);
                  void editLine(l);
                }}
              >
                <td>
                  {nameOf(l)} <small className="muted">{l.sku}</small>
                </td>
                <td className="num">{l.ordered === null ? '' : formatStockQuantity(l.unit, l.ordered)}</td>
                <td className="num" data-testid="rc-line-received">
                  {l.quantity === null ? '—' : formatStockQuantity(l.unit, l.quantity)}
                </td>
                <td className="num" data-testid="rc-line-variance">
                  {variance === null ? '' : formatStockQuantity(l.unit, variance)}
                </td>
                <td className="num">
                  {l.unitCost === null ? '' : `${formatFen(l.unitCost)}${l.unit === 'weighed' ? '/kg' : ''}`}
                </td>
                <td className="num">{formatFen(valueOf(l))}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={5}>{t('rc.total')}</th>
            <th className="num" data-testid="rc-total">
              {formatFen(total)}
            </th>
          </tr>
        </tfoot>
      </table>
      {lines.length === 0 && !done && <p className="muted">{t('rc.empty')}</p>}
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="rc-post"
          disabled={busy || lines.length === 0}
          onClick={() => void post()}
        >
          {t('rc.post')}
        </button>
      </div>
      {done && (
        <section data-testid="rc-done" data-receipt={done.receiptId} data-printed={String(done.note.printed)}>
          <h3>{t('rc.note')}</h3>
          <p className="muted">{done.note.printed ? t('rc.printed') : t('rc.notPrinted')}</p>
          <pre className="receipt-text" data-testid="rc-note">
            {done.note.text}
          </pre>
        </section>
      )}
    </div>
  );
}

function fromProduct(p: ProductView): Omit<DraftLine, 'ordered'> {
  return {
    sku: p.sku,
    name: p.name,
    nameEn: p.nameEn,
    unit: p.unit,
    price: p.price,
    quantity: null,
    unitCost: null,
  };
}

/** Value at cost in fen, as the core computes it (per kg for weighed goods). */
function valueOf(l: DraftLine): number {
  if (l.quantity === null || l.unitCost === null) return 0;
  return l.unit === 'weighed' ? Math.round((l.unitCost * l.quantity) / 1000) : l.unitCost * l.quantity;
}
