// Online orders: the pick queue (accept, pick list, pick each line by count or re-weighed
// grams, ready with a bag label) and the counter (pickup code / QR scan, group leader pickup).
// One column on a phone (staff on the store LAN open the web host and log in with their PIN),
// two columns on the till. Keyboard: F5 refresh, Enter in a box submits, scans go to the
// pickup box.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrderPrintout, OrderView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { formatFen, formatGrams, formatTime } from '../format';

export function OrdersScreen() {
  const { api, t, showError, showInfo, subscribe } = useApp();
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [leader, setLeader] = useState('');
  const [leaderOrders, setLeaderOrders] = useState<OrderView[] | null>(null);
  const [paper, setPaper] = useState<OrderPrintout | null>(null);
  const [picks, setPicks] = useState<Record<string, string>>({});
  const codeRef = useRef<HTMLInputElement>(null);

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

  const act = async (fn: () => Promise<void>) => {
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

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (k === 'F5') {
        void load();
        return true;
      }
      return false;
    },
    onScan: (scanned) => void handover(scanned),
  });

  const order = orders.find((o) => o.id === selected) ?? null;

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
                  <button
                    type="button"
                    data-testid="order-accept"
                    onClick={() => act(async () => void (await api.call('orders.accept', { id: order.id })))}
                  >
                    {t('orders.accept')}
                  </button>
                )}
                <button
                  type="button"
                  data-testid="order-picklist"
                  onClick={() =>
                    act(async () => setPaper((await api.call('orders.pickList', { id: order.id })).printout))
                  }
                >
                  {t('orders.pickList')}
                </button>
                <button
                  type="button"
                  data-testid="order-ready"
                  onClick={() =>
                    act(async () => setPaper((await api.call('orders.ready', { id: order.id, bags: 1 })).label))
                  }
                >
                  {t('orders.ready')}
                </button>
              </div>
              <table>
                <tbody>
                  {order.lines.map((l) => (
                    <tr
                      key={l.lineId}
                      data-testid="order-line"
                      data-line={l.lineId}
                      data-picked={l.picked ? 'true' : 'false'}
                    >
                      <td>
                        {l.name || l.sku}
                        <br />
                        <small>{l.category}</small>
                      </td>
                      <td>{l.grams !== null ? formatGrams(l.grams) : `×${l.quantity}`}</td>
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
    </div>
  );
}
