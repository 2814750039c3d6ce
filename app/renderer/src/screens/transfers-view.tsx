// The back office's transfers (调拨) and sharing pool (库存共享池): look up other stores' stock of
// a SKU (stock.nearby, through the cloud, with its age), request a transfer from one of them, and
// the list of this store's transfers with the step this store may take (ship when we are the
// sender, receive when we are the receiver). Keyboard: N looks up a SKU, Insert requests, ↑/↓
// pick a row, Enter takes the row's step.
import { useCallback, useEffect, useState } from 'react';
import type { StockNearby, TransferView } from '../../../contract';
import { LAYER, useApp, useKeyScope } from '../app-context';
import { usePrompt } from '../components/prompt';
import { formatTime } from '../format';

export function TransfersView() {
  const { api, t, showError, showInfo } = useApp();
  const [ask, promptEl] = usePrompt();
  const [transfers, setTransfers] = useState<TransferView[]>([]);
  const [nearby, setNearby] = useState<StockNearby | null>(null);
  const [sel, setSel] = useState(0);
  const [storeId, setStoreId] = useState('');

  const load = useCallback(async () => {
    try {
      setStoreId((await api.call('system.status', {})).storeId);
      setTransfers((await api.call('transfers.list', {})).transfers);
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const lookUp = async () => {
    await ask({
      title: t('tr.nearby'),
      testid: 'tr-nearby-dialog',
      fields: [{ name: 'sku', label: t('tr.sku'), kind: 'digits', testid: 'tr-nearby-sku' }],
      onSubmit: async (x) => {
        setNearby(await api.call('stock.nearby', { sku: x['sku'] ?? '' }));
      },
    });
  };

  const request = async (fromStore = '', sku = nearby?.sku ?? '') => {
    const v = await ask({
      title: t('tr.request'),
      testid: 'tr-request-dialog',
      fields: [
        { name: 'fromStore', label: t('tr.fromStore'), kind: 'text', testid: 'tr-from', initial: fromStore },
        { name: 'sku', label: t('tr.sku'), kind: 'digits', testid: 'tr-sku', initial: sku },
        { name: 'quantity', label: t('tr.quantity'), kind: 'digits', testid: 'tr-quantity' },
      ],
      onSubmit: async (x) => {
        await api.call('transfers.request', {
          fromStore: x['fromStore'] ?? '',
          sku: x['sku'] ?? '',
          quantity: Number(x['quantity'] ?? 0),
        });
      },
    });
    if (v) {
      showInfo((tr) => tr('tr.requested'));
      await load();
    }
  };

  const step = async (tr: TransferView) => {
    try {
      if (tr.status === 'requested' && tr.fromStore === storeId) {
        await api.call('transfers.ship', { id: tr.id });
      } else if (tr.status === 'shipped' && tr.toStore === storeId) {
        const v = await ask({
          title: t('tr.receive'),
          testid: 'tr-receive-dialog',
          fields: [
            {
              name: 'quantity',
              label: t('tr.arrived'),
              kind: 'digits',
              testid: 'tr-received',
              initial: String(tr.shippedQuantity ?? tr.quantity),
            },
          ],
          onSubmit: async (x) => {
            await api.call('transfers.receive', { id: tr.id, quantity: Number(x['quantity'] ?? 0) });
          },
        });
        if (!v) return;
      } else return;
      await load();
    } catch (err) {
      showError(err);
    }
  };
  const canStep = (tr: TransferView) =>
    (tr.status === 'requested' && tr.fromStore === storeId) || (tr.status === 'shipped' && tr.toStore === storeId);

  useKeyScope(LAYER.screen, {
    onKey: (k) => {
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        setSel((i) => Math.max(0, Math.min(transfers.length - 1, i + (k === 'ArrowDown' ? 1 : -1))));
        return true;
      }
      if (k === 'n' || k === 'N') {
        void lookUp();
        return true;
      }
      if (k === 'Insert') {
        void request();
        return true;
      }
      const tr = transfers[sel];
      if (k === 'Enter' && tr && canStep(tr)) {
        void step(tr);
        return true;
      }
      return false;
    },
  });

  return (
    <div data-testid="transfers-view">
      {promptEl}
      <div className="row reports-bar">
        <button type="button" data-testid="tr-nearby" onClick={() => void lookUp()}>
          {t('tr.nearby')} N
        </button>
        <button type="button" data-testid="tr-request" onClick={() => void request()}>
          {t('tr.request')} Ins
        </button>
      </div>
      {nearby && (
        <table className="list" data-testid="tr-nearby-list">
          <caption>
            {t('tr.nearbyOf', { sku: nearby.sku })}
            {nearby.stale ? ` · ${t('tr.stale')}` : ''}
          </caption>
          <thead>
            <tr>
              <th>{t('tr.store')}</th>
              <th className="num">{t('tr.available')}</th>
              <th>{t('tr.asOf')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {nearby.stores.map((s) => (
              <tr key={s.storeId} data-testid="tr-nearby-row">
                <td>{s.storeId}</td>
                <td className="num">{s.available}</td>
                <td>
                  {s.asOf ? formatTime(s.asOf) : '—'}
                  {s.staleSeconds === null || s.staleSeconds > 300 ? ` · ${t('tr.stale')}` : ''}
                </td>
                <td>
                  <button type="button" onClick={() => void request(s.storeId, nearby.sku)}>
                    {t('tr.request')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table className="list" data-testid="tr-list">
        <thead>
          <tr>
            <th>{t('tr.time')}</th>
            <th>{t('tr.fromStore')}</th>
            <th>{t('tr.toStore')}</th>
            <th>{t('tr.sku')}</th>
            <th className="num">{t('tr.quantity')}</th>
            <th>{t('tr.status')}</th>
            <th className="num">{t('tr.variance')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {transfers.map((tr, i) => (
            <tr
              key={tr.id}
              data-testid="tr-row"
              data-status={tr.status}
              className={i === sel ? 'on' : ''}
              onClick={() => setSel(i)}
            >
              <td>{formatTime(tr.requestedAt)}</td>
              <td>{tr.fromStore}</td>
              <td>{tr.toStore}</td>
              <td>{tr.sku}</td>
              <td className="num">
                {tr.quantity}
                {tr.shippedQuantity !== null && tr.shippedQuantity !== tr.quantity ? ` → ${tr.shippedQuantity}` : ''}
              </td>
              <td>{t(`tr.status.${tr.status}`)}</td>
              <td className="num">{tr.variance ?? ''}</td>
              <td>
                {canStep(tr) && (
                  <button type="button" data-testid="tr-step" onClick={() => void step(tr)}>
                    {tr.status === 'requested' ? t('tr.ship') : t('tr.receive')} Enter
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {transfers.length === 0 && <p className="muted">{t('bo.empty')}</p>}
    </div>
  );
}
