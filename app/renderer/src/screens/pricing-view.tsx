// Back office → promotions: the rules this till applies today (chain promotions, member prices,
// markdowns; open ones first; a markdown's row prints its labels or ends it) and the evening
// markdown form (晚间打折): from a time today until midnight, categories and/or products, −x % or
// a fixed price (per kg for weighed items). A markdown set here reaches every till of the store
// through the hub (docs/pricing.md).
import { useCallback, useEffect, useState } from 'react';
import type { CouponConflict, PriceRuleView } from '../../../contract';
import { useApp } from '../app-context';
import { formatFen, formatTime } from '../format';
import { PluExportForm } from './plu-export-form';
import { StorePriceForm } from './store-price-form';

const list = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function PricingView() {
  const { api, t, lang, showError, showInfo } = useApp();
  const [rules, setRules] = useState<PriceRuleView[] | null>(null);
  const [conflicts, setConflicts] = useState<CouponConflict[]>([]);
  const [from, setFrom] = useState('19:30');
  const [categories, setCategories] = useState('');
  const [skus, setSkus] = useState('');
  const [percent, setPercent] = useState('30');
  const [price, setPrice] = useState('');

  const load = useCallback(async () => {
    try {
      setRules((await api.call('pricing.rules', {})).rules);
      setConflicts((await api.call('coupons.conflicts', {})).conflicts);
    } catch (err) {
      showError(err);
    }
  }, [api, showError]);
  useEffect(() => {
    void load();
  }, [load]);

  const submit = async () => {
    try {
      const yuan = price.trim() ? Math.round(Number(price) * 100) : undefined;
      await api.call('pricing.markdown', {
        from,
        categories: list(categories),
        skus: list(skus),
        ...(yuan !== undefined ? { price: yuan } : { percentOff: Number(percent) }),
      });
      await load();
    } catch (err) {
      showError(err);
    }
  };
  const printLabels = async (markdownId: string) => {
    try {
      const out = await api.call('labels.print', { markdownId });
      showInfo((tr) => tr('bo.pricing.labelsPrinted', { n: String(out.printed.length) }));
    } catch (err) {
      showError(err);
    }
  };
  const end = async (id: string) => {
    try {
      await api.call('pricing.endMarkdown', { id });
      await load();
    } catch (err) {
      showError(err);
    }
  };

  return (
    <div className="pricing" data-testid="pricing-view">
      <h2>{t('bo.pricing.title')}</h2>
      <StorePriceForm onChanged={() => void load()} />
      <PluExportForm />
      <form
        className="markdown-form"
        data-testid="markdown-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          {t('bo.pricing.from')}
          <input data-testid="markdown-from" type="time" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('bo.pricing.categories')}
          <input data-testid="markdown-categories" value={categories} onChange={(e) => setCategories(e.target.value)} />
        </label>
        <label>
          {t('bo.pricing.skus')}
          <input data-testid="markdown-skus" value={skus} onChange={(e) => setSkus(e.target.value)} />
        </label>
        <label>
          {t('bo.pricing.percent')}
          <input
            data-testid="markdown-percent"
            inputMode="numeric"
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
          />
        </label>
        <label>
          {t('bo.pricing.price')}
          <input
            data-testid="markdown-price"
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
          />
        </label>
        <button type="submit" className="primary" data-testid="markdown-submit">
          {t('bo.pricing.set')}
        </button>
      </form>
      <table className="list" data-testid="rules-list">
        <tbody>
          {rules?.map((r) => (
            <tr key={r.id} data-testid="rule-row" data-rule-id={r.id}>
              <td>{lang === 'zh-CN' || !r.nameEn ? r.name : r.nameEn}</td>
              <td>{[...r.target.categories, ...r.target.skus].join(', ')}</td>
              <td className="num">
                {r.percentOff !== null ? `−${r.percentOff}%` : r.price !== null ? formatFen(r.price) : ''}
              </td>
              <td>
                {r.from ? formatTime(r.from) : ''}–{r.to ? formatTime(r.to) : ''}
              </td>
              <td>{r.openNow ? t('bo.pricing.open') : t('bo.pricing.later')}</td>
              <td>
                {r.origin === 'store' && r.id.startsWith('md-') && (
                  <>
                    <button type="button" data-testid="rule-print-labels" onClick={() => void printLabels(r.id)}>
                      {t('bo.pricing.printLabels')}
                    </button>{' '}
                    <button type="button" data-testid="rule-end" onClick={() => void end(r.id)}>
                      {t('bo.pricing.end')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules?.length === 0 && <p className="muted">{t('bo.pricing.none')}</p>}
      {conflicts.length > 0 && (
        <>
          <h3>{t('bo.coupons.conflicts')}</h3>
          <table className="list" data-testid="coupon-conflicts">
            <tbody>
              {conflicts.flatMap((c) =>
                c.sales.map((s) => (
                  <tr key={`${c.code}-${s.saleId}`} data-testid="coupon-conflict-sale" data-code={c.code}>
                    <td>{c.code}</td>
                    <td>{s.saleNumber ?? s.saleId}</td>
                    <td>{s.terminalId ?? ''}</td>
                    <td>{s.at ? formatTime(s.at) : ''}</td>
                    <td className="num">-{formatFen(s.amount)}</td>
                    <td>{s.counts ? t('bo.coupons.counts') : t('bo.coupons.second')}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
