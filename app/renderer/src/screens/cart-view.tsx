// The cart as a table of lines (both names, qty or weight, unit price, discount, line total).
// Promotions show by name under the item with the original price struck through, so the cashier
// can tell the customer why a price is what it is; re-price notes and the total saved sit below.
import { useEffect, useRef } from 'react';
import type { Cart, CartLine, Lang } from '../../../contract';
import { formatFen, formatGrams } from '../format';
import { useApp } from '../app-context';

function names(line: CartLine, lang: Lang): [string, string] {
  return lang === 'zh-CN' ? [line.name, line.nameEn] : [line.nameEn || line.name, line.name];
}

export function CartView({
  cart,
  selected,
  onSelect,
  onRemoveCoupon,
}: {
  cart: Cart | null;
  selected: string | null;
  onSelect: (lineId: string) => void;
  onRemoveCoupon?: () => void;
}) {
  const { t, lang } = useApp();
  const selRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    selRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, cart?.lines.length]);

  return (
    <div
      className="cart"
      data-testid="cart"
      data-cart-updated={cart?.updatedAt ?? ''}
      data-line-count={cart?.lines.length ?? 0}
    >
      {cart?.cashier && cart.lines.length > 0 && (
        <div className="cart-owner" data-testid="cart-owner" data-staff-id={cart.cashier.id}>
          {t('cart.owner', { name: cart.cashier.name })}
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th className="c-item">{t('till.col.item')}</th>
            <th className="num">{t('till.col.qty')}</th>
            <th className="num">{t('till.col.price')}</th>
            <th className="num">{t('till.col.discount')}</th>
            <th className="num">{t('till.col.total')}</th>
          </tr>
        </thead>
        <tbody data-testid="cart-lines">
          {cart?.lines.map((line, i) => {
            const [primary, secondary] = names(line, lang);
            const isSel = line.lineId === selected;
            return (
              <tr
                key={line.lineId}
                ref={isSel ? selRef : undefined}
                className={isSel ? 'selected' : ''}
                data-testid="cart-line"
                data-line-id={line.lineId}
                data-sku={line.sku}
                aria-selected={isSel}
                onClick={() => onSelect(line.lineId)}
              >
                <td className="c-item">
                  <span className="line-no">{i + 1}</span>
                  <span className="name" data-testid="cart-line-name">
                    {primary}
                  </span>
                  <span className="name2">{secondary}</span>
                  {line.discounts.map((d, k) => (
                    <span key={k} className="promo" data-testid="cart-line-promo" data-rule-id={d.ruleId ?? ''}>
                      {d.ruleId === null ? t('till.col.discount') : lang === 'zh-CN' || !d.nameEn ? d.name : d.nameEn} -
                      {formatFen(d.amount)}
                    </span>
                  ))}
                </td>
                <td className="num" data-testid="cart-line-qty">
                  {line.unit === 'weighed' && line.weightGrams !== null
                    ? formatGrams(line.weightGrams)
                    : `× ${line.quantity}`}
                </td>
                <td className="num">
                  {formatFen(line.unitPrice)}
                  {line.unit === 'weighed' ? t('till.perKg') : ''}
                </td>
                <td className="num discount" data-testid="cart-line-discount">
                  {line.discount > 0 ? `-${formatFen(line.discount)}` : ''}
                </td>
                <td className="num strong" data-testid="cart-line-total">
                  {line.saved > 0 && (
                    <>
                      <s className="original" data-testid="cart-line-original">
                        {formatFen(line.originalPrice)}
                      </s>{' '}
                    </>
                  )}
                  {formatFen(line.total)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cart && cart.pricingNotes.length > 0 && (
        <div className="pricing-notes" role="status" data-testid="pricing-notes">
          {cart.pricingNotes.map((n) => (
            <div key={n.ruleId} data-testid="pricing-note">
              {t(n.change === 'opened' ? 'till.pricing.opened' : 'till.pricing.closed')}{' '}
              {lang === 'zh-CN' || !n.nameEn ? n.name : n.nameEn}
            </div>
          ))}
        </div>
      )}
      {cart && (cart.saved > 0 || cart.nearThresholds.length > 0) && (
        <div className="savings" data-testid="cart-saved">
          {cart.saved > 0 && `${t('till.saved')} ${formatFen(cart.saved)}`}
          {cart.nearThresholds.slice(0, 1).map((n) => (
            <span key={n.ruleId} className="near" data-testid="cart-near-threshold">
              {' '}
              {lang === 'zh-CN' || !n.nameEn ? n.name : n.nameEn}: {t('till.pricing.more')} {formatFen(n.missing)}
            </span>
          ))}
        </div>
      )}
      {cart?.coupon && (
        <div className="savings" data-testid="cart-coupon" data-code={cart.coupon.code} data-held={cart.coupon.held}>
          {t('till.coupon')} {lang === 'zh-CN' ? cart.coupon.name : cart.coupon.nameEn} ({cart.coupon.code})
          {cart.coupon.amount > 0 && ` -${formatFen(cart.coupon.amount)}`}
          {cart.coupon.shortBy > 0 && ` · ${t('till.coupon.short', { amount: formatFen(cart.coupon.shortBy) })}`}
          {cart.coupon.held === 'offline' && ` · ${t('till.coupon.offline')}`}{' '}
          {onRemoveCoupon && (
            <button type="button" data-testid="coupon-remove" onClick={onRemoveCoupon}>
              {t('till.coupon.remove')}
            </button>
          )}
        </div>
      )}
      {(!cart || cart.lines.length === 0) && (
        <div className="empty" data-testid="cart-empty">
          {t('till.empty')}
        </div>
      )}
    </div>
  );
}
