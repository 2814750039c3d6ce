// The core's receipt document (app/core/receipt) through the device layer: encoded to ESC/POS
// for 58 and 80 mm, sent over TCP to the printer emulator, decoded back.
import { describe, expect, it } from 'vitest';
import { buildReceiptDocument } from '../../app/core';
import type { Sale } from '../../app/contract';
import { displayWidth, EscPosDecoder, encodeReceipt, ReceiptBuilder, columnsFor } from '../../drivers';

const sale: Sale = {
  id: '01935c1e-0000-7000-8000-000000000001',
  number: 'T01-000042',
  terminalId: 'T01',
  storeId: 'S1',
  cashier: { id: 'u1', name: '王芳', role: 'cashier' },
  shiftId: null,
  lines: [
    {
      lineId: 'l1',
      sku: 'A1',
      name: '富士苹果',
      nameEn: 'Fuji apple',
      unit: 'weighed',
      quantity: 1,
      weightGrams: 1234,
      unitPrice: 1280,
      gross: 1580,
      discount: 0,
      total: 1580,
      barcode: null,
      returnedQuantity: 0,
      returnedWeightGrams: 0,
    },
    {
      lineId: 'l2',
      sku: 'B2',
      name: '伊利纯牛奶 250ml×24',
      nameEn: 'Yili milk',
      unit: 'each',
      quantity: 2,
      weightGrams: null,
      unitPrice: 6990,
      gross: 13980,
      discount: 1000,
      total: 12980,
      barcode: '6907992100012',
      returnedQuantity: 0,
      returnedWeightGrams: 0,
    },
  ],
  subtotal: 15560,
  discount: 1000,
  rounding: -0,
  total: 14560,
  currency: 'CNY',
  tenders: [{ type: 'cash', amount: 14560, tendered: 20000, reference: null, provider: null }],
  change: 5440,
  createdAt: '2026-11-29T01:02:03.000Z',
  returns: [],
};

function decode(bytes: Buffer) {
  const rb = new ReceiptBuilder();
  let cuts = 0;
  for (const op of new EscPosDecoder().push(bytes)) {
    if (op.op === 'cut') cuts++;
    rb.apply(op);
  }
  return { r: rb.finish(true), cuts };
}

describe('core receipt document on paper', () => {
  it.each([58, 80] as const)('%i mm: fits the paper, one cut, Chinese and QR intact', (width) => {
    const doc = buildReceiptDocument({
      sale,
      receiptCode: 'R:T01-000042',
      storeName: '鲜生活超市 徐汇店',
      width,
      lang: 'zh-CN',
      reprint: false,
      wecomQrUrl: null,
    });
    const { r, cuts } = decode(encodeReceipt(doc, { width }));
    expect(cuts).toBe(1);
    expect(r.text).toContain('伊利纯牛奶');
    expect(r.text).toContain('王芳');
    expect(r.qr).toEqual(['R:T01-000042']);
    for (const l of r.lines)
      if (l.size === 0 && !l.qr) expect(displayWidth(l.text)).toBeLessThanOrEqual(columnsFor(width));
  });

  it('a core reprint keeps its 重打小票 marks and gets the English word once', () => {
    const doc = buildReceiptDocument({
      sale,
      receiptCode: 'R:T01-000042',
      storeName: '鲜生活超市',
      width: 80,
      lang: 'zh-CN',
      reprint: true,
      wecomQrUrl: null,
      printedAt: '2026-11-29T02:00:00.000Z',
    });
    const { r } = decode(encodeReceipt(doc, { width: 80, reprint: true }));
    expect(r.text.match(/重打小票/g)).toHaveLength(2);
    expect(r.text.match(/REPRINT/g)).toHaveLength(1);
    expect(r.lines[0]!.text.trim()).toBe('REPRINT');
  });
});
