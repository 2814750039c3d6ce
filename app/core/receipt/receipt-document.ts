// Pure receipt layout: a completed sale -> a receiptline document (markup). The same document
// becomes the on-screen text, the SVG preview and (in the devices layer) ESC/POS bytes, so
// paper and screen never disagree. No I/O here.
import type { Lang, Sale, TenderRecord } from '../../contract';
import { RECEIPT_LABELS } from './receipt-labels';

export interface ReceiptInput {
  sale: Sale;
  /** Encoded in the QR code; scanning it at a till finds the sale for a return. */
  receiptCode: string;
  storeName: string;
  width: 58 | 80;
  lang: Lang;
  reprint: boolean;
  wecomQrUrl: string | null;
  /** Time zone for the printed time (times are stored UTC). */
  timeZone?: string;
  /** When a reprint was made (UTC ISO); printed under the REPRINT mark. */
  printedAt?: string;
  /** The member the sale was credited to: masked name, points of this sale, balance now. */
  member?: { maskedName: string | null; pointsEarned: number; balance: number; storedValue?: number | null } | null;
}

/** Characters per line for a paper width. */
export function receiptCpl(width: 58 | 80): number {
  return width === 58 ? 32 : 48;
}

/** Escapes receiptline's special characters in free text (names, labels). */
export function escapeReceiptText(s: string): string {
  return s
    .replace(/[\\|{}~^_"`]/g, (c) => `\\${c}`)
    .replace(/^([-=])/, '\\$1')
    .replace(/[\r\n\t]+/g, ' ');
}

/**
 * A value inside a receiptline property (`{code:…}`): there only `\\`, `\{`, `\|`, `\}` and `\;`
 * are escapes, so text escaping (`\_`, `\~`, …) would reach the printed QR code as a backslash.
 */
export function escapeReceiptProperty(s: string): string {
  return s.replace(/[\\{|};]/g, (c) => `\\${c}`).replace(/[\r\n\t]+/g, ' ');
}

export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export function formatKg(grams: number): string {
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}kg`;
}

export function formatLocalTime(iso: string, timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

function tenderLine(t: TenderRecord, lang: Lang): string[] {
  const L = RECEIPT_LABELS[lang];
  let name = L.tender[t.type];
  if (t.provider?.startsWith('wechat')) name = lang === 'zh-CN' ? '微信支付' : 'WeChat Pay';
  else if (t.provider?.startsWith('alipay')) name = lang === 'zh-CN' ? '支付宝' : 'Alipay';
  const out = [`${escapeReceiptText(name)} | ${formatFen(t.type === 'cash' ? t.tendered : t.amount)}`];
  if (t.reference) out.push(`|~~${escapeReceiptText(L.reference)} ${escapeReceiptText(t.reference)}`);
  return out;
}

export function buildReceiptDocument(input: ReceiptInput): string {
  const { sale, lang } = input;
  const L = RECEIPT_LABELS[lang];
  const tz = input.timeZone ?? 'Asia/Shanghai';
  const money = 10;
  const d: string[] = [];
  d.push('{width:*; align:center}');
  if (input.reprint) {
    // The English word as well on Chinese receipts, so any reader (and the printer layer,
    // which looks for it) recognises a copy.
    if (!/REPRINT/.test(L.reprint)) d.push('"REPRINT"');
    d.push(`^^^${escapeReceiptText(L.reprint)}`);
    if (input.printedAt) d.push(escapeReceiptText(formatLocalTime(input.printedAt, tz)));
  }
  d.push(`^^${escapeReceiptText(input.storeName)}`);
  d.push('-');
  d.push('{width:10,*}');
  d.push(`${escapeReceiptText(L.number)} | ${escapeReceiptText(sale.number)}`);
  d.push(`${escapeReceiptText(L.time)} | ${escapeReceiptText(formatLocalTime(sale.createdAt, tz))}`);
  d.push(`${escapeReceiptText(L.terminal)} | ${escapeReceiptText(sale.terminalId)}`);
  d.push(`${escapeReceiptText(L.cashier)} | ${escapeReceiptText(sale.cashier.name)}`);
  d.push('-');
  d.push(`{width:*,${money}}`);
  for (const l of sale.lines) {
    const name = lang === 'zh-CN' ? l.name : l.nameEn;
    d.push(`|${escapeReceiptText(name)}`);
    const detail =
      l.unit === 'weighed' && l.weightGrams !== null
        ? `${formatKg(l.weightGrams)} x ${formatFen(l.unitPrice)}${L.perKg}`
        : `${l.quantity} x ${formatFen(l.unitPrice)}`;
    d.push(`|~~${escapeReceiptText(detail)} | ${formatFen(l.gross)}`);
    // Each promotion by name (会员价, 第二件半价, 晚间打折 …) and the cashier's line discount.
    const named = l.discounts ?? [];
    if (named.length > 0)
      for (const x of named) {
        const label = x.ruleId === null ? L.discount : lang === 'zh-CN' || !x.nameEn ? x.name : x.nameEn;
        d.push(`|~~${escapeReceiptText(label)} | ${formatFen(-x.amount)}`);
      }
    else if (l.discount > 0) d.push(`|~~${escapeReceiptText(L.discount)} | ${formatFen(-l.discount)}`);
  }
  d.push('-');
  d.push(
    `${escapeReceiptText(L.items)} | ${sale.lines.reduce((s, l) => s + (l.unit === 'weighed' ? 1 : l.quantity), 0)}`,
  );
  d.push(`${escapeReceiptText(L.subtotal)} | ${formatFen(sale.subtotal)}`);
  if (sale.discount > 0) d.push(`${escapeReceiptText(L.discount)} | ${formatFen(-sale.discount)}`);
  if (sale.discount > 0) d.push(`${escapeReceiptText(L.saved)} | ${formatFen(sale.discount)}`);
  if (sale.rounding !== 0) d.push(`${escapeReceiptText(L.rounding)} | ${formatFen(sale.rounding)}`);
  // The total is printed double width, so its column must hold twice the characters.
  d.push(`{width:*,${money * 2}}`);
  d.push(`^${escapeReceiptText(L.total)} | ^${formatFen(sale.total)}`);
  d.push(`{width:*,${money}}`);
  for (const t of sale.tenders) d.push(...tenderLine(t, lang));
  if (sale.change > 0 || sale.tenders.some((t) => t.type === 'cash'))
    d.push(`${escapeReceiptText(L.change)} | ${formatFen(sale.change)}`);
  if (input.member) {
    d.push('-');
    d.push(`${escapeReceiptText(L.member)} | ${escapeReceiptText(input.member.maskedName ?? '***')}`);
    d.push(`${escapeReceiptText(L.pointsEarned)} | ${input.member.pointsEarned}`);
    d.push(`${escapeReceiptText(L.pointsBalance)} | ${input.member.balance}`);
    if (input.member.storedValue !== undefined && input.member.storedValue !== null)
      d.push(`${escapeReceiptText(L.storedValueBalance)} | ${formatFen(input.member.storedValue)}`);
  }
  d.push('-');
  d.push('{width:*; align:center}');
  d.push(`{code:${escapeReceiptProperty(input.receiptCode)}; option:qrcode,4,m}`);
  d.push(escapeReceiptText(input.receiptCode));
  d.push(escapeReceiptText(L.scanForReturn));
  if (input.wecomQrUrl) {
    d.push('-');
    d.push(`{code:${escapeReceiptProperty(input.wecomQrUrl)}; option:qrcode,4,m}`);
    d.push(escapeReceiptText(L.wecom));
  }
  d.push('');
  d.push(escapeReceiptText(L.thanks));
  if (input.reprint) d.push(`^^^${escapeReceiptText(L.reprint)}`);
  d.push('=');
  return d.join('\n') + '\n';
}
