// A sample receiptline receipt (Chinese + English) for the CLI test print, the emulator demo,
// tests and the bench. Real receipts come from app/core/receipt.
export function sampleReceipt(opts: { lines?: number; saleNumber?: string } = {}): string {
  const n = opts.lines ?? 6;
  const items = [
    '富士苹果 Fuji apple',
    '散装鸡蛋 Eggs',
    '五常大米 5kg Rice',
    '伊利纯牛奶 Milk',
    '青岛啤酒 Beer',
    '农夫山泉 Water',
    '豆腐 Tofu',
    '老干妈 Chili sauce',
  ];
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

/** Escapes receiptline's special characters so a URI or id prints as typed. */
function literal(s: string): string {
  return s.replace(/[\\|{}~_"`^]/g, (c) => `\\${c}`);
}

/**
 * The technician's test receipt (setup screen, `devices.testPrint`): which terminal and printer,
 * its URI, width and encoding, a Chinese sample line, a QR code, so one look shows the link,
 * the code page and the QR generator work. Not a sale: it says so at the top and bottom.
 */
export function testReceipt(o: {
  terminalId: string;
  printerId: string;
  uri: string;
  width: number;
  encoding: string;
  at: Date;
}): string {
  return [
    '^^测试打印 TEST PRINT',
    '不是销售小票 Not a sale',
    '---',
    `{width:12,*}`,
    `终端 Till | ${literal(o.terminalId)}`,
    `打印机 Printer | ${literal(o.printerId)}`,
    `地址 URI | ${literal(o.uri)}`,
    `纸宽 Width | ${o.width} mm`,
    `编码 Code page | ${literal(o.encoding)}`,
    `时间 Time | ${o.at.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '---',
    `{width:*}`,
    '中文测试：鲜丰社区生鲜 苹果 香蕉 鸡蛋',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789',
    `{code:TEST-PRINT ${literal(o.printerId)}; option:qrcode,4,m}`,
    '打印正常 Printer OK',
  ].join('\n');
}

/** One device on the setup ticket: what it calls itself and how its test went. */
export interface SetupTicketDevice {
  id: string;
  kind: string;
  name: string;
  result: 'passed' | 'failed' | 'not tested';
}

/**
 * The first-run wizard's setup ticket (装机单): store, terminal, hub, devices with their test
 * results, versions and time, kept in the store's folder as the record of who set up what.
 * Not a sale, and it says so.
 */
export function setupTicket(o: {
  storeId: string;
  terminalId: string;
  hubUrl: string;
  devices: readonly SetupTicketDevice[];
  versions: Readonly<Record<string, string>>;
  at: Date;
}): string {
  const results = { passed: '通过 passed', failed: '失败 FAILED', 'not tested': '未测 not tested' } as const;
  return [
    '^^装机单 SETUP TICKET',
    '不是销售小票 Not a sale',
    '---',
    `{width:12,*}`,
    `门店 Store | ${literal(o.storeId)}`,
    `终端 Till | ${literal(o.terminalId)}`,
    `门店主机 Hub | ${literal(o.hubUrl)}`,
    `时间 Time | ${o.at.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    ...Object.entries(o.versions).map(([k, v]) => `${literal(k)} | ${literal(v)}`),
    '---',
    `{width:*}`,
    '设备 Devices',
    // The result beside the device's id, and what it calls itself on a line of its own: a long
    // URI in a table cell would wrap with the result between its halves.
    ...(o.devices.length
      ? o.devices.flatMap((d) => [
          `{width:*,16}`,
          `${literal(`${d.kind} ${d.id}`)} | ${results[d.result]}`,
          `{width:*}`,
          `  ${literal(d.name)}`,
        ])
      : ['无 none']),
    '---',
    `{width:*}`,
    `{code:SETUP ${literal(o.storeId)} ${literal(o.terminalId)}; option:qrcode,4,m}`,
  ].join('\n');
}
