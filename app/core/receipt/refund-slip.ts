// Pure layout of the refund slip printed when a return is refunded (issue 13 item 1): the
// original receipt number, the returned lines, the amount, each tender it went back to, the
// approving manager and the reason. The same receiptline markup as the sale receipt, so it goes
// through the same durable print queue (and the drawer kick when cash went back). No I/O here.
import type { Lang, ReturnRecord, Sale } from '../../contract';
import { escapeReceiptText, formatFen, formatKg, formatLocalTime } from './receipt-document';
import { RECEIPT_LABELS } from './receipt-labels';

export interface RefundSlipInput {
  sale: Sale;
  refund: ReturnRecord;
  storeName: string;
  lang: Lang;
  timeZone?: string;
}

const WORDS: Record<Lang, { title: string; original: string; refunded: string; approvedBy: string; reason: string }> = {
  'zh-CN': { title: '退款单', original: '原单号', refunded: '退款合计', approvedBy: '批准', reason: '原因' },
  en: { title: 'REFUND', original: 'Original', refunded: 'Refunded', approvedBy: 'Approved', reason: 'Reason' },
};

export function buildRefundSlipDocument(input: RefundSlipInput): string {
  const { sale, refund, lang } = input;
  const L = RECEIPT_LABELS[lang];
  const W = WORDS[lang];
  const tz = input.timeZone ?? 'Asia/Shanghai';
  const e = escapeReceiptText;
  const d: string[] = [];
  d.push('{width:*; align:center}');
  d.push(`^^${e(input.storeName)}`);
  // The English word on Chinese slips too, so anyone (and the printer layer) sees it is a refund.
  d.push(lang === 'en' ? `^^^${e(W.title)}` : `^^^${e(W.title)} REFUND`);
  d.push('-');
  d.push('{width:10,*}');
  d.push(`${e(W.original)} | ${e(sale.number)}`);
  d.push(`${e(L.time)} | ${e(formatLocalTime(refund.createdAt, tz))}`);
  d.push(`${e(L.terminal)} | ${e(sale.terminalId)}`);
  d.push('-');
  d.push('{width:*,10}');
  for (const r of refund.lines) {
    const line = sale.lines.find((l) => l.lineId === r.lineId);
    const name = line ? (lang === 'zh-CN' ? line.name : line.nameEn || line.name) : r.sku;
    d.push(`|${e(name)}`);
    const what = r.weightGrams !== null ? formatKg(r.weightGrams) : `x ${r.quantity}`;
    d.push(`|~~${e(what)} | ${formatFen(-r.amount)}`);
  }
  d.push('-');
  d.push('{width:*,20}');
  d.push(`^${e(W.refunded)} | ^${formatFen(refund.amount)}`);
  d.push('{width:*,10}');
  for (const t of refund.tenders) d.push(`${e(L.tender[t.type])} | ${formatFen(t.amount)}`);
  d.push('-');
  d.push('{width:10,*}');
  d.push(`${e(W.approvedBy)} | ${e(refund.approvedBy.name)}`);
  d.push(`${e(W.reason)} | ${e(refund.reason)}`);
  d.push('=');
  return d.join('\n') + '\n';
}
