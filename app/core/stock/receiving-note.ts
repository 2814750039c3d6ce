// The receiving note (收货单) of a receiving just written: the layout is the receipt module's
// (pure); this gathers what it prints from the till (store name, language, time zone, receipt
// width, the names of ordered lines that did not arrive). The till prints `document`.
import type { ReceiveResult, ReceivingNotePrintout, StaffView } from '../../contract';
import { readTillConfig } from '../config';
import type { CoreContext } from '../context';
import { buildReceivingNoteDocument, renderReceiptText } from '../receipt';

export function receivingNote(ctx: CoreContext, staff: StaffView, r: ReceiveResult): ReceivingNotePrintout {
  const config = readTillConfig(ctx.db, ctx.storeId, ctx.terminalId);
  const product = ctx.db.prepare('SELECT name, name_en, unit FROM products WHERE sku = ?');
  const outstanding = r.outstanding.map((o) => {
    const p = product.get(o.sku) as { name: string; name_en: string; unit: 'each' | 'weighed' } | undefined;
    return { ...o, name: p?.name ?? '', nameEn: p?.name_en ?? '', unit: p?.unit ?? 'each' };
  });
  const document = buildReceivingNoteDocument({
    receiptId: r.receiptId,
    po: r.po,
    lines: r.lines,
    outstanding,
    total: r.total,
    storeName: config.storeName,
    staffName: staff.name,
    at: ctx.clock().toISOString(),
    lang: config.lang,
    timeZone: config.timeZone,
  });
  return { document, text: renderReceiptText(document, config.receiptWidth), printed: false };
}
