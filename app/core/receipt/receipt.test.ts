import { describe, expect, it } from 'vitest';
import type { Sale } from '../../contract';
import {
  buildReceiptDocument,
  escapeReceiptText,
  formatFen,
  formatKg,
  renderReceipt,
  renderReceiptText,
  receiptEncoding,
  type ReceiptInput,
} from './index';

const sale: Sale = {
  id: '0193a0f0-0000-7000-8000-000000000001',
  number: 'T01-000042',
  terminalId: 'T01',
  storeId: 'demo-store',
  cashier: { id: 'staff-li-na', name: '李娜', role: 'cashier' },
  shiftId: 's1',
  lines: [
    {
      lineId: 'l1',
      sku: '100501',
      name: '有机牛奶 1L',
      nameEn: 'Organic Milk 1L',
      unit: 'each',
      quantity: 2,
      weightGrams: null,
      unitPrice: 1850,
      gross: 3700,
      discount: 370,
      total: 3330,
      barcode: '06901234567892',
      returnedQuantity: 0,
      returnedWeightGrams: 0,
    },
    {
      lineId: 'l2',
      sku: '101301',
      name: '散装香蕉',
      nameEn: 'Loose Bananas',
      unit: 'weighed',
      quantity: 1,
      weightGrams: 1234,
      unitPrice: 698,
      gross: 861,
      discount: 0,
      total: 861,
      barcode: '2000130',
      returnedQuantity: 0,
      returnedWeightGrams: 0,
    },
  ],
  subtotal: 4561,
  discount: 370,
  rounding: -1,
  total: 4190,
  currency: 'CNY',
  tenders: [{ type: 'cash', amount: 4190, tendered: 5000, reference: null, provider: null }],
  change: 810,
  createdAt: '2026-11-29T02:03:04.000Z',
  returns: [],
};

const input: ReceiptInput = {
  sale,
  receiptCode: 'R:demo-store:T01-000042',
  storeName: '鲜丰社区生鲜 Fresh Corner',
  width: 58,
  lang: 'zh-CN',
  reprint: false,
  wecomQrUrl: null,
};

describe('receipt layout', () => {
  it('formats fen and grams without floats', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(123456)).toBe('1234.56');
    expect(formatFen(-370)).toBe('-3.70');
    expect(formatKg(1234)).toBe('1.234kg');
    expect(formatKg(50)).toBe('0.050kg');
  });

  it('lays out header, lines with weights, discounts, totals, tenders, change and the receipt QR', () => {
    const doc = buildReceiptDocument(input);
    expect(doc).toContain('{code:R:demo-store:T01-000042; option:qrcode,4,m}');
    const text = renderReceiptText(doc, 58);
    for (const s of [
      '鲜丰社区生鲜 Fresh Corner',
      'T01-000042',
      '2026-11-29 10:03:04',
      '李娜',
      '有机牛奶 1L',
      '2 x 18.50',
      '37.00',
      '-3.70',
      '散装香蕉',
      '1.234kg x 6.98/kg',
      '8.61',
      '小计',
      '45.61',
      '抹零',
      '-0.01',
      '应收',
      '41.90',
      '现金',
      '50.00',
      '找零',
      '8.10',
      'R:demo-store:T01-000042',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain('重打');
  });

  it('keeps every text line within 32 columns at 58 mm and 48 at 80 mm (CJK = 2 columns)', () => {
    const width = (s: string) => [...s].reduce((w, c) => w + (/[\u2E80-\u9FFF\uFF00-\uFFEF]/.test(c) ? 2 : 1), 0);
    for (const [w, cpl] of [
      [58, 32],
      [80, 48],
    ] as const) {
      const view = renderReceipt({ ...input, width: w });
      for (const line of view.text.split('\n')) expect(width(line), line).toBeLessThanOrEqual(cpl);
      expect(view.width).toBe(w);
    }
  });

  it('prints in English with English names', () => {
    const text = renderReceipt({ ...input, lang: 'en' }).text;
    for (const s of ['Organic Milk 1L', 'Loose Bananas', 'Subtotal', 'Rounding', 'TOTAL', 'Cash', 'Change'])
      expect(text).toContain(s);
    expect(text).not.toContain('有机牛奶');
  });

  it('marks reprints and adds the WeCom QR when configured', () => {
    const doc = buildReceiptDocument({
      ...input,
      reprint: true,
      printedAt: '2026-11-29T03:00:00.000Z',
      wecomQrUrl: 'https://work.weixin.qq.com/ca/demo',
    });
    expect(doc.match(/重打小票/g)).toHaveLength(2);
    expect(doc.match(/REPRINT/g)).toHaveLength(1);
    expect(renderReceiptText(doc, 58).trimStart().startsWith('REPRINT')).toBe(true);
    expect(buildReceiptDocument({ ...input, lang: 'en', reprint: true }).match(/REPRINT/g)).toHaveLength(2);
    expect(doc).toContain('{code:https://work.weixin.qq.com/ca/demo; option:qrcode,4,m}');
    expect(renderReceiptText(doc, 58)).toContain('扫码加企业微信');
  });

  it('shows payment-code wallets and card references', () => {
    const mixed: Sale = {
      ...sale,
      rounding: 0,
      total: 4191,
      change: 0,
      tenders: [
        { type: 'card', amount: 1000, tendered: 1000, reference: 'AUTH77', provider: 'external-card-terminal' },
        { type: 'payment_code', amount: 3191, tendered: 3191, reference: 'SBX-WX-1', provider: 'wechat-sandbox' },
      ],
    };
    const text = renderReceipt({ ...input, sale: mixed }).text;
    expect(text).toContain('银行卡');
    expect(text).toContain('AUTH77');
    expect(text).toContain('微信支付');
    expect(text).not.toContain('找零');
  });

  it('escapes receiptline markup in product names', () => {
    expect(escapeReceiptText('A|B {x} ^_"`~\\')).toBe('A\\|B \\{x\\} \\^\\_\\"\\`\\~\\\\');
    const odd: Sale = { ...sale, lines: [{ ...sale.lines[0]!, name: '-特价| {code:evil}' }] };
    const doc = buildReceiptDocument({ ...input, sale: odd });
    expect(doc).not.toContain('{code:evil}');
    expect(renderReceiptText(doc, 58)).toContain('-特价| {code:evil}');
  });

  it('prints QR codes with exactly their text: a WeCom state with _ and ~ reaches the printer unchanged', async () => {
    const receiptline = (await import('receiptline')).default;
    const url = 'https://work.weixin.qq.com/ca/cawc1?state=w1Ab_Cd-Ef~Gh;Ij|Kl{M}\\N';
    const doc = buildReceiptDocument({ ...input, wecomQrUrl: url });
    // The printer's command set sees each QR code's data as receiptline parsed it.
    const qr: string[] = [];
    const command = {
      ...receiptline.commands.escpos,
      qrcode: (symbol: { data: string }) => {
        qr.push(symbol.data);
        return '';
      },
    };
    receiptline.transform(doc, { command, cpl: 32, encoding: 'gb18030' });
    expect(qr).toContain(url);
    expect(qr).toContain('R:demo-store:T01-000042');
  });

  it('renders SVG with GB18030 for Chinese documents', () => {
    const view = renderReceipt(input);
    expect(view.svg).toMatch(/^<svg/);
    expect(receiptEncoding('hello')).toBe('multilingual');
    expect(receiptEncoding('你好')).toBe('gb18030');
    expect(view.code).toBe('R:demo-store:T01-000042');
  });
});

describe('receipt total', () => {
  it('keeps a double-width total of 100 yuan or more on one line at 58 and 80 mm', async () => {
    const receiptline = (await import('receiptline')).default;
    const big: Sale = {
      ...sale,
      total: 1234567,
      subtotal: 1234567,
      discount: 0,
      rounding: 0,
      tenders: [{ type: 'cash', amount: 1234567, tendered: 1234567, reference: null, provider: null }],
      change: 0,
    };
    for (const width of [58, 80] as const) {
      // receiptline's text output keeps double width (each character followed by a space).
      const text = receiptline.transform(buildReceiptDocument({ ...input, sale: big, width }), {
        command: 'text',
        cpl: width === 58 ? 32 : 48,
        encoding: 'gb18030',
      });
      const totalLine = text.split('\n').find((l: string) => l.includes('应  收'));
      expect(totalLine, `total line at ${width} mm`).toBeDefined();
      expect(totalLine).toContain('1 2 3 4 5 . 6 7');
    }
  });
});
