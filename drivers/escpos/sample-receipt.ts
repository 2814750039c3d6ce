// A sample receiptline receipt (Chinese + English) for the CLI test print, the emulator demo,
// tests and the bench. Real receipts come from app/core/receipt.
export function sampleReceipt(opts: { lines?: number; saleNumber?: string } = {}): string {
  const n = opts.lines ?? 6;
  const items = ['富士苹果 Fuji apple', '散装鸡蛋 Eggs', '五常大米 5kg Rice', '伊利纯牛奶 Milk', '青岛啤酒 Beer', '农夫山泉 Water', '豆腐 Tofu', '老干妈 Chili sauce'];
  const rows: string[] = [];
  let total = 0;
  for (let i = 0; i < n; i++) {
    const price = 100 + ((i * 737) % 4900);
    total += price;
    rows.push(`${items[i % items.length]} | x1 | ${(price / 100).toFixed(2)}`);
  }
  const no = opts.saleNumber ?? 'T01-000123';
  return [
    '^^^鲜生活超市',
    'Fresh Life Market',
    '上海市徐汇区漕溪北路 88 号',
    '---',
    `{width:*,4,10}`,
    ...rows,
    '---',
    `{width:*,12}`,
    `"合计 TOTAL" | "¥${(total / 100).toFixed(2)}"`,
    `微信支付 WeChat Pay | ¥${(total / 100).toFixed(2)}`,
    '---',
    `{width:*}`,
    `单号 No. ${no}`,
    '2026-11-29 08:30 UTC',
    `{code:${no}; option:qrcode,4,m}`,
    '谢谢惠顾 欢迎再来',
    'Thank you!',
  ].join('\n');
}
