// Pure layout of the receiving note (收货单) printed after goods are received (issue 17): who
// received what and when, each line's quantity (items or kg), unit cost and value at cost, and
// against a purchase order what was ordered, the variance (short / over) and the ordered lines
// that did not arrive. The same receiptline markup as the sale receipt, so it goes through the
// same durable print queue. No I/O here.
import type { Lang, ReceivedLine } from '../../contract';
import { escapeReceiptText, formatFen, formatKg, formatLocalTime } from './receipt-document';

export interface ReceivingNoteInput {
  receiptId: string;
  po: string | null;
  lines: ReceivedLine[];
  /** Ordered lines with nothing received, with their names when the catalog knows them. */
  outstanding: { sku: string; ordered: number; name: string; nameEn: string; unit: 'each' | 'weighed' }[];
  total: number;
  storeName: string;
  staffName: string;
  /** When it was received (UTC ISO). */
  at: string;
  lang: Lang;
  timeZone?: string;
}

const WORDS: Record<
  Lang,
  {
    title: string;
    po: string;
    adHoc: string;
    time: string;
    by: string;
    cost: string;
    ordered: string;
    short: string;
    over: string;
    missing: string;
    total: string;
    sign: string;
  }
> = {
  'zh-CN': {
    title: '收货单',
    po: '采购单',
    adHoc: '无采购单',
    time: '时间',
    by: '收货人',
    cost: '成本',
    ordered: '订',
    short: '短',
    over: '多',
    missing: '未到货',
    total: '合计（成本）',
    sign: '签字',
  },
  en: {
    title: 'RECEIVING NOTE',
    po: 'PO',
    adHoc: 'no purchase order',
    time: 'Time',
    by: 'Received by',
    cost: 'cost',
    ordered: 'ordered',
    short: 'short',
    over: 'over',
    missing: 'Not delivered',
    total: 'Total at cost',
    sign: 'Signature',
  },
};

/** A uuid does not fit a 58 mm line: its last 12 characters (random in a uuid v7) name it on paper. */
const shortId = (id: string) => (id.length > 18 ? id.slice(-12) : id);

/** Items, or kg for weighed goods. */
const amount = (unit: 'each' | 'weighed', q: number) => (unit === 'weighed' ? formatKg(q) : `x ${q}`);

export function buildReceivingNoteDocument(input: ReceivingNoteInput): string {
  const W = WORDS[input.lang];
  const e = escapeReceiptText;
  const nameOf = (l: { name: string; nameEn: string }) => (input.lang === 'zh-CN' ? l.name : l.nameEn || l.name);
  const d: string[] = [];
  d.push('{width:*; align:center}');
  d.push(`^^${e(input.storeName)}`);
  // The English word on Chinese notes too, so anyone (and the printer layer) sees what it is.
  d.push(input.lang === 'en' ? `^^${e(W.title)}` : `^^${e(W.title)} RECEIVING`);
  d.push('-');
  d.push('{width:12,*}');
  d.push(`No. | ${e(shortId(input.receiptId))}`);
  d.push(`${e(W.po)} | ${e(input.po ? shortId(input.po) : W.adHoc)}`);
  d.push(`${e(W.time)} | ${e(formatLocalTime(input.at, input.timeZone))}`);
  d.push(`${e(W.by)} | ${e(input.staffName)}`);
  d.push('-');
  for (const l of input.lines) {
    // The name on a line of its own (full width: long names wrap there, not into the amounts).
    d.push('{width:*}');
    d.push(`${e(nameOf(l))} ${e(l.sku)}`);
    d.push('{width:*,10}');
    const per = l.unit === 'weighed' ? '/kg' : '';
    d.push(`~~${e(amount(l.unit, l.quantity))} @${formatFen(l.unitCost)}${per} | ${formatFen(l.value)}`);
    if (l.ordered !== null && l.variance !== null) {
      const v = l.variance;
      const mark = v < 0 ? ` ${W.short} ${amount(l.unit, -v)}` : v > 0 ? ` ${W.over} ${amount(l.unit, v)}` : ' OK';
      d.push('{width:*}');
      d.push(`~~${e(W.ordered)} ${e(amount(l.unit, l.ordered))}${e(mark)}`);
    }
  }
  if (input.outstanding.length > 0) {
    d.push('-');
    d.push('{width:*}');
    d.push(`"${e(W.missing)}`);
    for (const o of input.outstanding) {
      d.push(`${e(nameOf(o) || o.sku)} ${e(o.sku)}`);
      d.push(`~~${e(W.ordered)} ${e(amount(o.unit, o.ordered))}`);
    }
  }
  d.push('-');
  d.push('{width:*,14}');
  d.push(`^${e(W.total)} | ^${formatFen(input.total)}`);
  d.push('{width:*}');
  d.push('');
  d.push(`${e(W.sign)}: ____________________`);
  d.push('=');
  return d.join('\n') + '\n';
}
