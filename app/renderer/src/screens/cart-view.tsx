// The cart as a table of lines (both names, qty or weight, unit price, discount, line total).
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
}: {
  cart: Cart | null;
  selected: string | null;
  onSelect: (lineId: string) => void;
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
                  {formatFen(line.total)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {(!cart || cart.lines.length === 0) && (
        <div className="empty" data-testid="cart-empty">
          {t('till.empty')}
        </div>
      )}
    </div>
  );
}
