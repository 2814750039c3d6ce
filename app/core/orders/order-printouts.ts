// Pure layouts of the order papers printed on the receipt printer (a label printer driver comes
// later): the pick list grouped by category, the bag label with the pickup QR, and a group
// leader's manifest. receiptline documents, rendered to text the same way as receipts.
import type { OrderPrintout, OrderView } from '../../contract';
import { escapeReceiptText as esc, formatFen, formatKg, formatLocalTime, renderReceiptText } from '../receipt';

const WIDTH = 58;

/** The slot in the store's time zone (Asia/Shanghai, as on receipts): `2026-12-05 17:00-18:00`. */
function slot(o: OrderView): string {
  if (!o.slotStart) return '-';
  const start = formatLocalTime(o.slotStart);
  const end = o.slotEnd ? formatLocalTime(o.slotEnd).slice(11, 16) : '';
  return `${start.slice(0, 16)}-${end}`;
}

const FULFILMENT = { pickup: '自提 pickup', delivery: '配送 delivery', group_buy: '团购 group buy' } as const;

function printout(lines: string[], qr: string | null): OrderPrintout {
  const document = lines.join('\n') + '\n';
  return { document, text: renderReceiptText(document, WIDTH), qr, printed: false };
}

/** Pick list: lines grouped by category (aisle), each with what to put in the bag. */
export function pickListPrintout(o: OrderView): OrderPrintout {
  const d = [`^^拣货单 Pick list`, `${esc(o.id)}`, `${FULFILMENT[o.fulfilment]} | ${esc(slot(o))}`, '-'];
  const groups = new Map<string, OrderView['lines']>();
  for (const l of o.lines) {
    const g = l.category || '其他 other';
    groups.set(g, [...(groups.get(g) ?? []), l]);
  }
  for (const [cat, lines] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    d.push(`"${esc(cat)}`);
    for (const l of lines) {
      const qty = l.grams !== null ? formatKg(l.grams) : `x${l.quantity ?? 0}`;
      d.push(`[ ] ${esc(l.name || l.sku)} | ${qty}`);
    }
  }
  d.push('-', `${o.lines.length} lines`);
  return printout(d, null);
}

/** Bag label: order number, masked name, slot, bag n of m, pickup-code QR. */
export function bagLabelPrintout(o: OrderView, pickupQr: string | null): OrderPrintout {
  const d = [
    `^^^${esc(o.id.slice(-8))}`,
    `${esc(o.maskedName || '-')} | ${FULFILMENT[o.fulfilment]}`,
    `${esc(slot(o))}`,
    `^${o.bags ?? 1} 袋 bags`,
  ];
  if (o.leaderId) d.push(`团长 leader: ${esc(o.leaderId)}`);
  if (pickupQr) d.push(`{code:${esc(pickupQr)}; option:qrcode,4,m}`);
  return printout(d, pickupQr);
}

/** A group leader's manifest: each member order with its bags and lines, to distribute. */
export function leaderManifestPrintout(leaderId: string, orders: OrderView[]): OrderPrintout {
  const d = [`^^团长提货单 Leader manifest`, `${esc(leaderId)}`, `${orders.length} orders`, '='];
  for (const o of orders) {
    d.push(`^${esc(o.id)} | ${esc(o.maskedName || '-')}`, `${o.bags ?? 1} 袋 bags | ¥${formatFen(o.settledAmount)}`);
    for (const l of o.lines) {
      const p = l.picked;
      const qty = l.grams !== null ? formatKg(p?.grams ?? l.grams) : `x${p?.quantity ?? l.quantity ?? 0}`;
      d.push(`  ${esc(l.name || l.sku)} | ${qty}`);
    }
    d.push('-');
  }
  d.push('签收 Signature:', ' ');
  return printout(d, null);
}
