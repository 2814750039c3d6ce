// Online orders: the pick queue (accept, pick list, pick each item by scanning it, weighed
// items on the scale, substitute an out-of-stock line, ready with a bag label) and the counter
// (pickup code / QR scan, group leader pickup). One column on a phone (staff on the store LAN
// open the web host and log in with their PIN), two columns on the till.
// Keyboard: ↑/↓ choose the order, F4 weigh the next weighed line on the scale, F6 accept, F7 pick
// list, F8 substitute (a substitute sold by weight goes on the scale), F9 ready, F5 refresh;
// Enter in a box submits. A scan picks an item of the chosen order while it is being picked; a
// pickup QR, or any scan when no order is being picked, goes to the pickup.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderPrintout, OrderView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { usePrompt } from '../components/prompt';
import { formatFen, formatGrams, formatTime } from '../format';
import { OrderSubstituteDialog, type SubstituteWeighing } from './order-substitute-dialog';
import { useWeighing } from './use-weighing';

export function OrdersScreen() {
  const { api, t, showError, clearError, showInfo, subscribe } = useApp();
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [leader, setLeader] = useState('');
  const [leaderOrders, setLeaderOrders] = useState<OrderView[] | null>(null);
  const [paper, setPaper] = useState<OrderPrintout | null>(null);
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [substituting, setSubstituting] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const [ask, promptEl] = usePrompt();
  const { weighGrams, weighDialog } = useWeighing(ask);

  const load = useCallback(async () => {
    try {
      setOrders((await api.call('orders.list', { status: 'open' })).orders);
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => {
    void load();
    return subscribe((ev) => {
      if (ev.type === 'orders.changed') void load();
    });
  }, [load, subscribe]);

  // Each action starts with a clean banner: a wrong-item error from the last scan must not stay
  // on screen while the picker bags the right item the next scan just counted.
  const act = async (fn: () => Promise<void>) => {
    clearError();
    try {
      await fn();
      await load();
    } catch (err) {
      showError(err);
    }
  };
  const handover = (value: string) =>
    act(async () => {
      const r = await api.call('orders.handover', { code: value });
      setCode('');
      showInfo((tr) => tr(r.offline ? 'orders.handedOverOffline' : 'orders.handedOver', { id: r.order.id }));
    });

  const order = orders.find((o) => o.id === selected) ?? null;
  const picking = order !== null && order.status !== 'ready';

  // One scanned item of the chosen order; a weighed item without a scale label goes on the scale.
  const scanItem = (o: OrderView, scanned: string) =>
    act(async () => {
      const r = await api.call('orders.scan', { orderId: o.id, code: scanned });
      const line = r.order.lines.find((l) => l.lineId === r.lineId);
      if (r.weigh && line) {
        const grams = await weighGrams(line.unitPrice, line.name || line.sku);
        if (grams === null) return;
        const w = await api.call('orders.pick', { orderId: o.id, lineId: line.lineId, grams, code: scanned });
        if (w.refund > 0) showInfo(t('orders.refund', { amount: formatFen(w.refund) }));
        else showInfo(t('orders.picked', { name: line.name || line.sku }));
        return;
      }
      if (r.refund > 0) showInfo(t('orders.refund', { amount: formatFen(r.refund) }));
      else if (line) showInfo(t('orders.picked', { name: line.name || line.sku }));
    });
  // Re-weighing a weighed line on the till's scale (F4): the next one not weighed yet, else the first.
  const weighLine = (o: OrderView) => {
    const weighed = o.lines.filter((l) => l.grams !== null);
    const line = weighed.find((l) => !l.picked) ?? weighed[0];
    if (!line) return;
    void act(async () => {
      const grams = await weighGrams(line.unitPrice, line.name || line.sku);
      if (grams === null) return;
      const r = await api.call('orders.pick', { orderId: o.id, lineId: line.lineId, grams });
      showInfo(
        r.refund > 0
          ? t('orders.refund', { amount: formatFen(r.refund) })
          : t('orders.picked', { name: line.name || line.sku }),
      );
    });
  };
  // A substitute sold by weight, on the till's scale (the same weigh dialog), then recorded.
  const weighSubstitute = (o: OrderView, w: SubstituteWeighing) =>
    act(async () => {
      const grams = await weighGrams(w.pricePerKg, w.name);
      if (grams === null) return;
      const r = await api.call('orders.substitute', { orderId: o.id, lineId: w.lineId, code: w.code, grams });
      showInfo(t('orders.substituted', { amount: formatFen(r.refund) }));
    });
  const accept = (o: OrderView) => act(async () => void (await api.call('orders.accept', { id: o.id })));
  const pickList = (o: OrderView) =>
    act(async () => setPaper((await api.call('orders.pickList', { id: o.id })).printout));
  const ready = (o: OrderView) =>
    act(async () => {
      const r = await api.call('orders.ready', { id: o.id, bags: 1 });
      setPaper(r.label);
      showInfo(t('orders.readyDone', { id: o.id }));
    });

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (k === 'F5') {
        void load();
        return true;
      }
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        if (orders.length === 0) return true;
        const i = orders.findIndex((o) => o.id === selected);
        const d = k === 'ArrowDown' ? 1 : -1;
        const next = i < 0 ? (d > 0 ? 0 : orders.length - 1) : (i + d + orders.length) % orders.length;
        setSelected(orders[next]!.id);
        return true;
      }
      if (!order) return false;
      if (k === 'F4' && picking) weighLine(order);
      else if (k === 'F6' && order.status === 'new') void accept(order);
      else if (k === 'F7') void pickList(order);
      else if (k === 'F8' && picking) setSubstituting(true);
      else if (k === 'F9') void ready(order);
      else return false;
      return true;
    },
    onScan: (scanned) => {
      if (picking && order && !scanned.startsWith('POSPICKUP:')) void scanItem(order, scanned);
      else void handover(scanned);
    },
  });

  return (
    <div className="page orders" data-testid="orders-screen">
      <h1>
        {t('orders.title')} <small>F5</small>
      </h1>
      <div className="orders-grid">
        <section className="orders-queue">
          <h2>{t('orders.queue', { n: orders.length })}</h2>
          {orders.length === 0 && <p>{t('bo.empty')}</p>}
          <ul>
            {orders.map((o) => (
              <li key={o.id}>
                <button
                  type="button"
                  data-testid="order-row"
                  data-order={o.id}
                  data-status={o.status}
                  className={o.id === selected ? 'on' : ''}
                  onClick={() => setSelected(o.id)}
                >
                  <b>{o.id}</b> · {t(`orders.status.${o.status}`)} · {t(`orders.f.${o.fulfilment}`)}
                  <br />
                  <small>
                    {o.maskedName} · {o.slotStart ? formatTime(o.slotStart) : '-'} · {o.lines.length}{' '}
                    {t('orders.lines')}
                    {o.conflicts.length > 0 && <b className="bad"> · {t('orders.conflict')}</b>}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="orders-detail">
          {order && (
            <div data-testid="order-detail" data-order={order.id}>
              <h2>
                {order.id} · {t(`orders.status.${order.status}`)}
              </h2>
              <div className="row">
                {order.status === 'new' && (
                  <button type="button" data-testid="order-accept" onClick={() => void accept(order)}>
                    {t('orders.accept')} <small>F6</small>
                  </button>
                )}
                <button type="button" data-testid="order-picklist" onClick={() => void pickList(order)}>
                  {t('orders.pickList')} <small>F7</small>
                </button>
                {picking && order.lines.some((l) => l.grams !== null) && (
                  <button type="button" data-testid="order-weigh" onClick={() => weighLine(order)}>
                    {t('orders.weigh')} <small>F4</small>
                  </button>
                )}
                {picking && (
                  <button type="button" data-testid="order-substitute" onClick={() => setSubstituting(true)}>
                    {t('orders.substitute')} <small>F8</small>
                  </button>
                )}
                <button type="button" data-testid="order-ready" onClick={() => void ready(order)}>
                  {t('orders.ready')} <small>F9</small>
                </button>
              </div>
              {picking && <p className="hint">{t('orders.scanHint')}</p>}
              <table>
                <tbody>
                  {order.lines.map((l) => (
                    <tr
                      key={l.lineId}
                      data-testid="order-line"
                      data-line={l.lineId}
                      data-picked={l.picked ? 'true' : 'false'}
                      data-picked-qty={l.picked?.quantity ?? ''}
                      data-picked-grams={l.picked?.grams ?? ''}
                      data-substitute={l.picked?.substitute?.sku ?? ''}
                    >
                      <td>
                        {l.name || l.sku}
                        <br />
                        <small>
                          {l.category}
                          {l.picked?.substitute && (
                            <b> · {t('orders.substitutedBy', { name: l.picked.substitute.name })}</b>
                          )}
                        </small>
                      </td>
                      <td>
                        {l.grams !== null ? formatGrams(l.grams) : `×${l.quantity}`}
                        {l.picked && (
                          <small data-testid="order-line-picked">
                            {' → '}
                            {l.picked.grams !== null ? formatGrams(l.picked.grams) : `×${l.picked.quantity}`}
                          </small>
                        )}
                      </td>
                      <td>{formatFen(l.picked?.amount ?? l.amount)}</td>
                      <td>
                        <input
                          data-testid="order-pick-input"
                          inputMode="numeric"
                          placeholder={l.grams !== null ? t('orders.grams') : t('orders.qty')}
                          value={picks[l.lineId] ?? ''}
                          onChange={(e) => setPicks({ ...picks, [l.lineId]: e.target.value })}
                          onKeyDown={(e) => {
                            if (e.key !== 'Enter') return;
                            const n = Number(picks[l.lineId] ?? '');
                            if (!Number.isInteger(n) || n < 0) return;
                            void act(async () => {
                              const r = await api.call('orders.pick', {
                                orderId: order.id,
                                lineId: l.lineId,
                                ...(l.grams !== null ? { grams: n } : { quantity: n }),
                              });
                              if (r.refund > 0) showInfo((tr) => tr('orders.refund', { amount: formatFen(r.refund) }));
                            });
                          }}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p>
                {t('orders.settled')}: {formatFen(order.settledAmount)} / {formatFen(order.paid)}
                {order.refund > 0 && ` · ${t('orders.refundTotal')}: ${formatFen(order.refund)}`}
              </p>
            </div>
          )}
          {paper && (
            <pre className="receipt-text" data-testid="order-paper" data-printed={paper.printed ? 'true' : 'false'}>
              {paper.text}
            </pre>
          )}
        </section>
        <section className="orders-counter">
          <h2>{t('orders.pickup')}</h2>
          <input
            ref={codeRef}
            data-testid="pickup-code"
            inputMode="numeric"
            placeholder={t('orders.codeHint')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && code.trim()) void handover(code.trim());
            }}
          />
          <h2>{t('orders.leader')}</h2>
          <input
            data-testid="leader-code"
            placeholder={t('orders.leaderHint')}
            value={leader}
            onChange={(e) => setLeader(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && leader.trim())
                void act(async () =>
                  setLeaderOrders((await api.call('orders.leaderPickup', { leaderCode: leader.trim() })).orders),
                );
            }}
          />
          {leaderOrders && (
            <div data-testid="leader-orders">
              <ul>
                {leaderOrders.map((o) => (
                  <li key={o.id}>
                    {o.id} · {o.maskedName} · {o.bags ?? 1} {t('orders.bags')}
                  </li>
                ))}
              </ul>
              <button
                type="button"
                data-testid="leader-confirm"
                onClick={() =>
                  act(async () => {
                    const r = await api.call('orders.leaderPickup', { leaderCode: leader.trim(), confirm: true });
                    setPaper(r.manifest);
                    setLeaderOrders(null);
                    showInfo((tr) => tr('orders.leaderDone', { n: r.handedOver.length }));
                  })
                }
              >
                {t('orders.leaderConfirm')}
              </button>
            </div>
          )}
        </section>
      </div>
      {substituting && order && (
        <OrderSubstituteDialog
          order={order}
          onDone={(r) => {
            setSubstituting(false);
            if (r === null) return;
            if ('weigh' in r) void weighSubstitute(order, r.weigh);
            else {
              showInfo(t('orders.substituted', { amount: formatFen(r.refund) }));
              void load();
            }
          }}
        />
      )}
      {weighDialog}
      {promptEl}
    </div>
  );
}
