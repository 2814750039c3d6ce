import { describe, expect, it } from 'vitest';
import { EscPosDecoder, encodeReceipt, sampleReceipt } from '../escpos';
import { ReceiptBuilder, receiptPng, receiptSvg } from './receipt-render';

describe('emulator receipt rendering', () => {
  it('renders the decoded receipt as a text transcript, SVG and PNG', async () => {
    const rb = new ReceiptBuilder();
    for (const op of new EscPosDecoder().push(encodeReceipt(sampleReceipt({ saleNumber: 'R-1' }), { width: 58 })))
      rb.apply(op);
    const r = rb.finish(true);
    expect(r.text.split('\n')[0]!.trim()).toBe('鲜生活超市');
    expect(r.qr).toEqual(['R-1']);
    const svg = receiptSvg(r, 32);
    expect(svg).toContain('谢谢惠顾 欢迎再来');
    expect(svg).toMatch(/^<svg [^>]*width="408"/);
    const png = await receiptPng(svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(408);
  });
});
