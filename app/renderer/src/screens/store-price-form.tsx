// Back office → promotions, top: a store price change (门店调价) and its shelf label. One product
// (SKU) or a category, a new price in ¥ (per kg for weighed items) or −x %, now or from a time;
// Enter sets it, the second button sets it and prints the shelf labels of what changed. The
// change reaches every till of the store (docs/back-office.md, docs/pricing.md).
import { useState } from 'react';
import { useApp } from '../app-context';

export function StorePriceForm({ onChanged }: { onChanged: () => void }) {
  const { api, t, showError, showInfo } = useApp();
  const [sku, setSku] = useState('');
  const [category, setCategory] = useState('');
  const [price, setPrice] = useState('');
  const [percent, setPercent] = useState('');
  const [from, setFrom] = useState('');

  const submit = async (print: boolean) => {
    try {
      const since = new Date().toISOString();
      const yuan = price.trim() ? Math.round(Number(price) * 100) : undefined;
      await api.call('prices.set', {
        ...(sku.trim() ? { skus: [sku.trim()] } : {}),
        ...(category.trim() ? { categories: [category.trim()] } : {}),
        ...(yuan !== undefined ? { price: yuan } : { percentOff: Number(percent) }),
        ...(from ? { from: new Date(from).toISOString() } : {}),
      });
      onChanged();
      if (print) {
        // A change from a later time prints now too: the label shows the price at that time's shelf.
        const out = await api.call('labels.print', sku.trim() ? { skus: [sku.trim()] } : { changedSince: since });
        showInfo((tr) => tr('bo.prices.printed', { n: String(out.printed.length) }));
      } else showInfo((tr) => tr('bo.prices.done'));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <form
      className="markdown-form"
      data-testid="store-price-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(false);
      }}
    >
      <h3>{t('bo.prices.title')}</h3>
      <label>
        {t('bo.prices.sku')}
        <input data-testid="price-sku" value={sku} autoFocus onChange={(e) => setSku(e.target.value)} />
      </label>
      <label>
        {t('bo.prices.category')}
        <input data-testid="price-category" value={category} onChange={(e) => setCategory(e.target.value)} />
      </label>
      <label>
        {t('bo.prices.price')}
        <input data-testid="price-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
      </label>
      <label>
        {t('bo.prices.percent')}
        <input
          data-testid="price-percent"
          inputMode="numeric"
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
        />
      </label>
      <label>
        {t('bo.prices.from')}
        <input data-testid="price-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <button type="submit" className="primary" data-testid="price-submit">
        {t('bo.prices.set')}
      </button>
      <button type="button" data-testid="price-submit-print" onClick={() => void submit(true)}>
        {t('bo.prices.setPrint')}
      </button>
    </form>
  );
}
