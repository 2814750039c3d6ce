// The customer display feed against a real terminal core (SQLite on a temp dir, demo data),
// and the pole display it drives over a real PTY pair (socat) and TCP, decoded by the emulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPtyPair, PoleDisplayEmulator, type PtyPair } from '../../drivers';
import type { CustomerDisplayState, ProductView } from '../contract';
import {
  attachPoleDisplay,
  createCustomerDisplayFeed,
  poleDisplayRows,
  type CustomerDisplayFeed,
} from './customer-display';
import { tillSettingsFromEnv } from './till-settings';
import { openTill, type Till } from './index';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pos-display-'));
  dirs.push(d);
  return d;
};

async function ok<T>(p: Promise<T>): Promise<T & { ok: true }> {
  const r = (await p) as T & { ok: boolean; error?: unknown };
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r as T & { ok: true };
}

/** Resolves with the first state (current or later) that matches; generous timeout. */
function until(
  feed: CustomerDisplayFeed,
  match: (s: CustomerDisplayState) => boolean,
  timeoutMs = 15_000,
): Promise<CustomerDisplayState> {
  if (match(feed.state())) return Promise.resolve(feed.state());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`display never matched; it is ${JSON.stringify({ ...feed.state(), wecomQrSvg: undefined })}`));
    }, timeoutMs);
    const off = feed.subscribe((s) => {
      if (match(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}

async function products(till: Till, token: string): Promise<{ each: ProductView[]; weighed: ProductView }> {
  const all = (await ok(till.core.call('catalog.search', { query: 'a', limit: 100 }, { token }))).products;
  const each = all.filter((p) => p.unit === 'each' && p.active);
  const weighed =
    (await ok(till.core.call('catalog.search', { query: 'apple', limit: 50 }, { token }))).products.find(
      (p) => p.unit === 'weighed',
    ) ?? all.find((p) => p.unit === 'weighed');
  expect(each.length).toBeGreaterThan(2);
  expect(weighed).toBeTruthy();
  return { each, weighed: weighed! };
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('customer display after a restart mid-sale', () => {
  it('shows the open cart at once, without waiting for the next scan', async () => {
    const dir = tempDir();
    const first = await openTill({ dataDir: dir, seedDemo: true, devices: 'none', logger });
    const token = (await ok(first.core.call('auth.login', { pin: '1234' }, {}))).token;
    const { each } = await products(first, token);
    await ok(first.core.call('cart.add', { sku: each[0]!.sku, quantity: 2 }, { token }));
    const cart = (await ok(first.core.call('cart.add', { sku: each[1]!.sku }, { token }))).cart;
    await first.close();

    const again = await openTill({ dataDir: dir, seedDemo: true, devices: 'none', logger });
    const feed = createCustomerDisplayFeed({ core: again.core, logger });
    try {
      await feed.ready;
      expect(feed.state()).toMatchObject({
        status: 'cart',
        total: cart.total,
        itemCount: 3,
        lastLine: { name: each[1]!.name, quantity: 1 },
      });
    } finally {
      feed.close();
      await again.close();
    }
  });

  it('stays idle when the till restarts with an empty cart', async () => {
    const dir = tempDir();
    const first = await openTill({ dataDir: dir, seedDemo: true, devices: 'none', logger });
    await first.close();
    const again = await openTill({ dataDir: dir, seedDemo: true, devices: 'none', logger });
    const feed = createCustomerDisplayFeed({ core: again.core, logger });
    try {
      await feed.ready;
      expect(feed.state()).toMatchObject({ status: 'idle', total: 0, lastLine: null });
    } finally {
      feed.close();
      await again.close();
    }
  });
});

describe('customer display feed (real core)', () => {
  let till: Till;
  let feed: CustomerDisplayFeed;
  let cashier: string;
  let each: ProductView[];
  let weighed: ProductView;
  const WECOM = 'https://work.weixin.qq.com/ca/cademo-fresh-corner';

  beforeAll(async () => {
    till = await openTill({ dataDir: tempDir(), seedDemo: true, devices: 'none', logger });
    feed = createCustomerDisplayFeed({ core: till.core, logger });
    await feed.ready;
    cashier = (await ok(till.core.call('auth.login', { pin: '1234' }, {}))).token;
    ({ each, weighed } = await products(till, cashier));
  });
  afterAll(async () => {
    feed?.close();
    await till?.close();
  });

  it('starts idle with the store name', () => {
    expect(feed.state()).toMatchObject({
      status: 'idle',
      storeName: '鲜丰社区生鲜 Fresh Corner',
      lastLine: null,
      itemCount: 0,
      total: 0,
      currency: 'CNY',
      wecomQrUrl: null,
    });
  });

  it('shows the line just scanned and the running total, also when a line only changes quantity', async () => {
    const [a, b] = each;
    await ok(till.core.call('cart.add', { sku: a!.sku }, { token: cashier }));
    let s = await until(feed, (x) => x.status === 'cart' && x.lastLine?.name === a!.name);
    expect(s).toMatchObject({
      itemCount: 1,
      total: a!.price,
      lastLine: { nameEn: a!.nameEn, quantity: 1, total: a!.price, unit: 'each' },
    });
    await ok(till.core.call('cart.add', { sku: b!.sku, quantity: 2 }, { token: cashier }));
    s = await until(feed, (x) => x.lastLine?.name === b!.name);
    expect(s).toMatchObject({
      itemCount: 3,
      total: a!.price + 2 * b!.price,
      lastLine: { quantity: 2, total: 2 * b!.price },
    });
    // Changing the first line's quantity makes it the current line again.
    const cart = (await ok(till.core.call('cart.get', {}, { token: cashier }))).cart;
    const first = cart.lines.find((l) => l.sku === a!.sku)!;
    await ok(till.core.call('cart.setQuantity', { lineId: first.lineId, quantity: 3 }, { token: cashier }));
    s = await until(feed, (x) => x.lastLine?.name === a!.name && x.lastLine.quantity === 3);
    expect(s.total).toBe(3 * a!.price + 2 * b!.price);
    await ok(till.core.call('cart.add', { sku: weighed.sku, weightGrams: 512 }, { token: cashier }));
    s = await until(feed, (x) => x.lastLine?.unit === 'weighed');
    expect(s.lastLine).toMatchObject({ name: weighed.name, weightGrams: 512, unitPrice: weighed.price });
  });

  it('after a cash payment shows what was paid, the change and the WeCom QR; the empty next cart keeps it', async () => {
    const mgr = (await ok(till.core.call('auth.login', { pin: '8888' }, {}))).token;
    await ok(till.core.call('config.set', { patch: { wecomQrUrl: WECOM } }, { token: mgr }));
    const cart = (await ok(till.core.call('cart.get', {}, { token: cashier }))).cart;
    const handed = (Math.floor(cart.total / 10000) + 1) * 10000;
    const paid = await ok(
      till.core.call('cart.pay', { tenders: [{ type: 'cash', amount: handed }] }, { token: cashier }),
    );
    const s = await until(feed, (x) => x.status === 'paid');
    expect(s).toMatchObject({
      total: paid.total,
      change: paid.change,
      tendered: handed,
      wecomQrUrl: WECOM,
      lastLine: null,
    });
    expect(paid.change).toBe(handed - paid.total);
    expect(s.wecomQrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // The core's empty cart after the sale does not end the paid screen.
    await feed.settled();
    expect(feed.state().status).toBe('paid');
    // No personal data: no staff names or ids, no tender references.
    const text = JSON.stringify(feed.state());
    for (const word of ['李娜', 'Li Na', 'cashier', paid.saleId]) expect(text).not.toContain(word);
  });

  it('the next scan ends the paid screen; removing the last line goes idle', async () => {
    await ok(till.core.call('cart.add', { sku: each[2]!.sku }, { token: cashier }));
    let s = await until(feed, (x) => x.status === 'cart');
    expect(s).toMatchObject({ wecomQrUrl: null, wecomQrSvg: null, itemCount: 1, total: each[2]!.price });
    expect(s.change).toBeUndefined();
    const line = (await ok(till.core.call('cart.get', {}, { token: cashier }))).cart.lines[0]!;
    await ok(till.core.call('cart.remove', { lineId: line.lineId }, { token: cashier }));
    s = await until(feed, (x) => x.status === 'idle');
    expect(s).toMatchObject({ total: 0, itemCount: 0, lastLine: null });
  });

  /** Signs up a member (marketing consent) and sells them one item for cash. */
  async function memberSale(phone: string, name: string) {
    const { member } = await ok(
      till.core.call(
        'members.signUp',
        { phone, name, consent: { marketing: true, channel: 'till', textVersion: 'v1' } },
        { token: cashier },
      ),
    );
    await ok(till.core.call('cart.add', { sku: each[1]!.sku }, { token: cashier }));
    await ok(till.core.call('cart.setMember', { memberId: member.id }, { token: cashier }));
    const paid = await ok(
      till.core.call('cart.pay', { tenders: [{ type: 'cash', amount: 100_000 }] }, { token: cashier }),
    );
    return { member, paid };
  }

  it("after a member's sale the WeCom QR carries the sale's opaque state (一键加企微)", async () => {
    const { member, paid } = await memberSale('13899990000', '周七');
    const s = await until(feed, (x) => x.status === 'paid' && x.member !== null && x.member !== undefined);
    const state = (await ok(till.core.call('sales.get', { id: paid.saleId }, { token: cashier }))).sale.wecomState;
    expect(state).toMatch(/^w1[\w-]{22}$/);
    expect(s.wecomQrUrl).toBe(`${WECOM}?state=${state}`);
    expect(s.wecomQrSvg).toMatch(/^<svg/);
    for (const word of [member.id, '13899990000', '9990000', paid.saleId]) expect(s.wecomQrUrl).not.toContain(word);
  });

  it("with the store's 获客链接 the member's QR is the link with the state as customer_channel", async () => {
    const link = 'https://work.weixin.qq.com/ca/cawcde0123456789ab';
    const mgr = (await ok(till.core.call('auth.login', { pin: '8888' }, {}))).token;
    await ok(till.core.call('config.set', { patch: { wecomLinkUrl: link } }, { token: mgr }));
    const { paid } = await memberSale('13899991111', '吴八');
    const s = await until(feed, (x) => x.status === 'paid' && (x.wecomQrUrl ?? '').startsWith(link));
    const state = (await ok(till.core.call('sales.get', { id: paid.saleId }, { token: cashier }))).sale.wecomState;
    expect(s.wecomQrUrl).toBe(`${link}?customer_channel=${state}`);
    expect(s.wecomQrSvg).toMatch(/^<svg/);
    await ok(till.core.call('config.set', { patch: { wecomLinkUrl: null } }, { token: mgr }));
  });

  it('goes idle by itself after the paid hold time', async () => {
    const quick = createCustomerDisplayFeed({ core: till.core, paidHoldMs: 200, logger });
    try {
      await quick.ready;
      const seen: string[] = [];
      quick.subscribe((x) => seen.push(x.status));
      await ok(till.core.call('cart.add', { sku: each[0]!.sku }, { token: cashier }));
      await ok(till.core.call('cart.pay', { tenders: [{ type: 'cash', amount: each[0]!.price }] }, { token: cashier }));
      await until(quick, (x) => x.status === 'paid');
      await until(quick, (x) => x.status === 'idle');
      expect(seen).toEqual(['cart', 'paid', 'idle']);
      expect(quick.state().seq).toBe(4);
    } finally {
      quick.close();
    }
  });

  it('rejects a bad paid-hold setting with a clear message', () => {
    expect(tillSettingsFromEnv({}).displayPaidHoldMs).toBe(60_000);
    expect(tillSettingsFromEnv({ POS_DISPLAY_PAID_SECONDS: '15' }).displayPaidHoldMs).toBe(15_000);
    expect(() => tillSettingsFromEnv({ POS_DISPLAY_PAID_SECONDS: 'soon' })).toThrow(
      /POS_DISPLAY_PAID_SECONDS must be 1-3600 seconds, got "soon"/,
    );
    expect(() => tillSettingsFromEnv({ POS_DISPLAY_PAID_SECONDS: '0' })).toThrow(/1-3600/);
  });
});

describe('pole display driven by the feed (real bytes, decoded by the emulator)', () => {
  let till: Till;
  let feed: CustomerDisplayFeed;
  let pty: PtyPair;
  let emu: PoleDisplayEmulator;
  let cashier: string;

  beforeAll(async () => {
    till = await openTill({ dataDir: tempDir(), seedDemo: true, devices: 'configured', logger });
    pty = await createPtyPair();
    emu = new PoleDisplayEmulator({ serialPath: pty.a, cjk: true });
    await emu.start();
    await till.hub!.configure({
      deviceId: 'pole',
      kind: 'display',
      uri: `serial:${pty.b}?baud=9600`,
      options: { cjk: true },
    });
    feed = createCustomerDisplayFeed({ core: till.core, logger });
    await feed.ready;
    cashier = (await ok(till.core.call('auth.login', { pin: '1234' }, {}))).token;
  });
  afterAll(async () => {
    feed?.close();
    await till?.close();
    await emu?.stop();
    await pty?.close();
  });

  it('GB18030 over serial: welcome, then line + total, then thank-you + change', async () => {
    const link = attachPoleDisplay(feed, till.hub!, logger);
    try {
      const rows = await emu.waitFor((l) => l[0]!.startsWith('欢迎光临'));
      expect(rows).toEqual(['欢迎光临 Welcome    ', '鲜丰社区生鲜' + ' '.repeat(8)]);
      const { each } = await products(till, cashier);
      const p = each.find((x) => x.price >= 100 && x.price < 10000)!;
      await ok(till.core.call('cart.add', { sku: p.sku, quantity: 2 }, { token: cashier }));
      const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
      const selling = await emu.waitFor((l) => l[1]!.includes(yuan(2 * p.price)) && l[1]!.startsWith('合计'));
      expect(selling[0]).toMatch(new RegExp(` x2 +￥${yuan(2 * p.price).replace('.', '\\.')}$`));
      expect(selling[0]!.startsWith(p.name.slice(0, 2))).toBe(true);
      expect(selling[1]).toMatch(new RegExp(`^合计 TOTAL +￥${yuan(2 * p.price).replace('.', '\\.')}$`));
      await ok(
        till.core.call('cart.pay', { tenders: [{ type: 'cash', amount: 2 * p.price + 1000 }] }, { token: cashier }),
      );
      const done = await emu.waitFor((l) => l[0]!.startsWith('谢谢惠顾'));
      expect(done).toEqual(['谢谢惠顾 / Thank you', '找零 CHANGE  ￥10.00']);
    } finally {
      link.detach();
    }
  });

  it('ASCII fallback over TCP for a display without a Chinese font', async () => {
    const tcp = new PoleDisplayEmulator({ port: 0, cjk: false });
    await tcp.start();
    try {
      await till.hub!.configure({ deviceId: 'pole', kind: 'display', uri: tcp.uri!, options: { cjk: false } });
      const link = attachPoleDisplay(feed, till.hub!, logger);
      try {
        const { weighed } = await products(till, cashier);
        await ok(till.core.call('cart.add', { sku: weighed.sku, weightGrams: 512 }, { token: cashier }));
        const rows = await tcp.waitFor((l) => l[1]!.startsWith('TOTAL'));
        const total = Math.round((weighed.price * 512) / 1000);
        expect(rows[0]).toMatch(/ 0\.512kg +\d+\.\d\d$/);
        expect(rows[0]).not.toMatch(/[^\x20-\x7e]/);
        expect(rows[1]!.trimEnd()).toMatch(/^TOTAL +\d+\.\d\d$/);
        expect(Math.abs(Number(rows[1]!.trim().split(/ +/)[1]) * 100 - total)).toBeLessThanOrEqual(1);
      } finally {
        link.detach();
      }
    } finally {
      await tcp.stop();
    }
  });

  it('lays rows out within 20 columns for long names', () => {
    const s: CustomerDisplayState = {
      status: 'cart',
      storeName: 'x',
      lastLine: {
        name: '进口新西兰佳沛金奇异果特大果',
        nameEn: 'Zespri SunGold Kiwifruit Jumbo',
        unit: 'each',
        quantity: 12,
        weightGrams: null,
        unitPrice: 1250,
        total: 15000,
      },
      itemCount: 12,
      total: 123456,
      currency: 'CNY',
      wecomQrUrl: null,
      wecomQrSvg: null,
      updatedAt: '',
      seq: 1,
    };
    expect(poleDisplayRows(s, false)).toEqual(['Zespri Su x12 150.00', 'TOTAL        1234.56']);
    expect(poleDisplayRows(s, true)).toEqual(['进口新 x12  ￥150.00', '合计 TOTAL ￥1234.56']);
  });
});
