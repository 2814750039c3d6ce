// The receipt for a stored sale, laid out with the till's current config.
import type { ReceiptView, Sale } from '../../contract';
import { readTillConfig } from '../config';
import { renderReceipt } from '../receipt';
import type { CoreContext } from '../context';
import { saleMemberSummary, wecomContactUrl, wecomState } from '../members';
import { balanceView } from '../stored-value';

/** `svg: false` skips the SVG picture (a few ms) where only text and the printer document are needed. */
export function receiptForSale(
  ctx: CoreContext,
  sale: Sale & { receiptCode: string },
  reprint: boolean,
  opts: { svg?: boolean } = {},
): ReceiptView {
  const cfg = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
  const { receiptCode, ...plain } = sale;
  const credit = saleMemberSummary(ctx.db, sale.id);
  return renderReceipt(
    {
      sale: plain,
      receiptCode,
      storeName: cfg.storeName,
      width: cfg.receiptWidth,
      lang: cfg.lang,
      reprint,
      // A member's sale gets the per-sale contact QR; a guest the store's static one.
      wecomQrUrl: credit ? wecomContactUrl(cfg, wecomState(ctx.db, sale.id)) : cfg.wecomQrUrl,
      printedAt: reprint ? ctx.nowIso() : undefined,
      member: credit
        ? {
            maskedName: credit.member.maskedName,
            pointsEarned: credit.pointsEarned,
            balance: credit.balance,
            // 储值余额: printed when the member holds stored value (or paid with it).
            storedValue: storedValueOnReceipt(ctx, credit.member.id, sale),
          }
        : null,
    },
    opts,
  );
}

function storedValueOnReceipt(ctx: CoreContext, memberId: string, sale: Sale): number | null {
  const b = balanceView(ctx, memberId);
  return b.balance !== 0 || b.principal !== 0 || sale.tenders.some((t) => t.type === 'stored_value') ? b.balance : null;
}
