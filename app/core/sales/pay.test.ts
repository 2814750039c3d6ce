import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;
const WECHAT = '134567890123456789';
const ALIPAY = '284567890123456789';

async function cartOf(t: TestCore, token: string) {
  await t.ok('cart.add', { sku: milk.sku }, token); // 18.50
  await t.ok('cart.add', { sku: cola.sku, quantity: 2 }, token); // 7.00
  await t.ok('cart.add', { sku: bananas.sku, weightGrams: 1234 }, token); // 8.61
  return (await t.ok('cart.get', {}, token)).cart; // 34.11
}

describe('payment and sale completion', () => {
  it('completes a cash sale with change, as one durable sale with stock movements', async () => {
    t = openTestCore();
    const token = await t.login();
    const cart = await cartOf(t, token);
    expect(cart.total).toBe(3411);
    const milkStock = (await t.ok('stock.get', { sku: milk.sku }, token)).onHand;
    const bananaStock = (await t.ok('stock.get', { sku: bananas.sku }, token)).onHand;
    const r = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
    expect(r).toMatchObject({ saleNumber: 'T01-000001', total: 3411, rounding: 0, change: 1589 });
    expect(r.tenders).toEqual([{ type: 'cash', amount: 3411, tendered: 5000, reference: null, provider: null }]);
    expect(r.receipt.text).toContain('T01-000001');
    expect(r.receipt.document).toContain('{code:R:demo-store:T01-000001; option:qrcode,4,m}');
    expect(t.events.some((e) => e.type === 'sale.completed' && e.saleId === r.saleId)).toBe(true);
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);

    const { sale } = await t.ok('sales.get', { id: r.saleId }, token);
    expect(sale).toMatchObject({
      id: r.saleId,
      number: 'T01-000001',
      terminalId: 'T01',
      storeId: 'demo-store',
      total: 3411,
      change: 1589,
      subtotal: 3411,
      discount: 0,
      currency: 'CNY',
    });
    expect(sale.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(sale.cashier.name).toBe('李娜');
    expect(sale.lines.map((l) => [l.sku, l.quantity, l.weightGrams, l.total])).toEqual([
      [milk.sku, 1, null, 1850],
      [cola.sku, 2, null, 700],
      [bananas.sku, 1, 1234, 861],
    ]);
    expect((await t.ok('sales.get', { id: 'T01-000001' }, token)).sale.id).toBe(r.saleId);
    expect((await t.ok('sales.get', { id: r.receipt.code }, token)).sale.id).toBe(r.saleId);
    expect((await t.fail('sales.get', { id: 'T01-999999' }, token)).code).toBe('SALE_NOT_FOUND');

    expect(await t.ok('stock.get', { sku: milk.sku }, token)).toMatchObject({
      onHand: milkStock - 1,
      reserved: 0,
      available: milkStock - 1,
      unit: 'each',
    });
    expect((await t.ok('stock.get', { sku: bananas.sku }, token)).onHand).toBe(bananaStock - 1234);

    t.reopen();
    expect((await t.ok('sales.get', { id: r.saleId }, token)).sale.total).toBe(3411);
    const second = await t.ok('cart.add', { sku: cola.sku }, token);
    expect(second.cart.lines).toHaveLength(1);
    expect((await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 350 }] }, token)).saleNumber).toBe('T01-000002');
  });

  it('refuses short tenders and an empty cart, changing nothing', async () => {
    t = openTestCore();
    const token = await t.login();
    expect((await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 100 }] }, token)).code).toBe('CART_EMPTY');
    await cartOf(t, token);
    const e = await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 3000 }] }, token);
    expect(e.code).toBe('TENDER_SHORT');
    expect(e.details).toMatchObject({ due: 3411, tendered: 3000, missing: 411 });
    expect((await t.ok('cart.get', {}, token)).cart.total).toBe(3411);
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('sales.list', {}, mgr)).sales).toHaveLength(0);
  });

  it('refuses an absurd cash amount with TENDER_EXCESSIVE and changes nothing (security #10 item 19)', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartOf(t, token);
    const e = await t.fail(
      'cart.pay',
      {
        tenders: [
          { type: 'cash', amount: Number.MAX_SAFE_INTEGER },
          { type: 'cash', amount: Number.MAX_SAFE_INTEGER },
        ],
      },
      token,
    );
    expect(e.code).toBe('TENDER_EXCESSIVE');
    expect(e.details).toMatchObject({ due: 3411, maxTendered: 103411 });
    expect((await t.ok('cart.get', {}, token)).cart.total).toBe(3411);
    expect((await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 103411 }] }, token)).change).toBe(100000);
  });

  it('applies cash rounding (抹零) only when paid wholly in cash', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    await t.ok('config.set', { patch: { cashRounding: { mode: 'down', unit: 10 } } }, mgr);
    const token = await t.login();
    await cartOf(t, token);
    const r = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 3410 }] }, token);
    expect(r).toMatchObject({ total: 3410, rounding: -1, change: 0 });
    expect((await t.ok('sales.get', { id: r.saleId }, token)).sale).toMatchObject({
      rounding: -1,
      total: 3410,
      subtotal: 3411,
    });
    await cartOf(t, token);
    const mixed = await t.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'card', amount: 1000 },
          { type: 'cash', amount: 2500 },
        ],
      },
      token,
    );
    expect(mixed).toMatchObject({ total: 3411, rounding: 0, change: 89 });
    await t.ok('config.set', { patch: { cashRounding: { mode: 'nearest', unit: 10 } } }, mgr);
    await cartOf(t, token);
    const near = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 3500 }] }, token);
    expect(near).toMatchObject({ total: 3410, rounding: -1, change: 90 });
  });

  it('takes a split tender: card with reference, payment code, and cash with change', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartOf(t, token);
    const r = await t.ok(
      'cart.pay',
      {
        tenders: [
          { type: 'card', amount: 1000, reference: 'AUTH77' },
          { type: 'payment_code', amount: 1411, code: WECHAT },
          { type: 'cash', amount: 2000 },
        ],
      },
      token,
    );
    expect(r.change).toBe(1000);
    expect(r.tenders).toEqual([
      { type: 'card', amount: 1000, tendered: 1000, reference: 'AUTH77', provider: 'external-card-terminal' },
      {
        type: 'payment_code',
        amount: 1411,
        tendered: 1411,
        reference: expect.stringMatching(/^SBX-WX-/),
        provider: 'wechat-sandbox',
      },
      { type: 'cash', amount: 1000, tendered: 2000, reference: null, provider: null },
    ]);
    expect(t.provider.charges).toEqual([
      {
        code: WECHAT,
        amount: 1411,
        saleId: r.saleId,
        wallet: 'wechat',
        outTradeNo: expect.stringMatching(/^[0-9a-f]{32}$/),
        description: expect.any(String),
      },
    ]);
  });

  it('refuses card or payment-code amounts above what is due (change only from cash)', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartOf(t, token);
    expect((await t.fail('cart.pay', { tenders: [{ type: 'card', amount: 5000 }] }, token)).code).toBe(
      'TENDER_INVALID',
    );
    expect(
      (await t.fail('cart.pay', { tenders: [{ type: 'payment_code', amount: 3412, code: ALIPAY }] }, token)).code,
    ).toBe('TENDER_INVALID');
    expect(
      (
        await t.fail(
          'cart.pay',
          { tenders: [{ type: 'payment_code', amount: 3411, code: '994567890123456789' }] },
          token,
        )
      ).code,
    ).toBe('TENDER_INVALID');
    expect(t.provider.charges).toHaveLength(0);
  });

  it('pays by Alipay code, and a declined code leaves the cart and reverses earlier charges', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartOf(t, token);
    const declined = '134567890123450000';
    const e = await t.fail(
      'cart.pay',
      {
        tenders: [
          { type: 'payment_code', amount: 1000, code: ALIPAY },
          { type: 'payment_code', amount: 2411, code: declined },
        ],
      },
      token,
    );
    expect(e.code).toBe('PAYMENT_DECLINED');
    expect(e.message).toMatch(/declined/i);
    expect(t.provider.reversals).toHaveLength(1);
    expect(t.provider.paidOrders()).toEqual([]);
    expect((await t.ok('cart.get', {}, token)).cart.total).toBe(3411);
    const ok = await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 3411, code: ALIPAY }] }, token);
    expect(ok.tenders[0]).toMatchObject({ provider: 'alipay-sandbox', amount: 3411 });
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('audit.list', {}, mgr)).entries.some((x) => x.action === 'payment.declined')).toBe(true);
  });

  it('auto-opens a shift with float 0 at the first payment, audited', async () => {
    t = openTestCore();
    const token = await t.login();
    expect((await t.ok('shift.current', {}, token)).shift).toBeNull();
    await cartOf(t, token);
    const r = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 3411 }] }, token);
    const { shift } = await t.ok('shift.current', {}, token);
    expect(shift).toMatchObject({ float: 0, closedAt: null });
    expect((await t.ok('sales.get', { id: r.saleId }, token)).sale.shiftId).toBe(shift!.id);
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action)).toContain('shift.auto_open');
  });

  it('lists sales for a manager, newest first, and reprints with a REPRINT mark (audited)', async () => {
    t = openTestCore();
    const token = await t.login();
    for (let i = 0; i < 3; i++) {
      await t.ok('cart.add', { sku: cola.sku, quantity: i + 1 }, token);
      await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10000 }] }, token);
      t.clock.advance(1000);
    }
    const mgr = await t.login(PINS.manager);
    const { sales } = await t.ok('sales.list', { limit: 2 }, mgr);
    expect(sales.map((s) => [s.number, s.itemCount, s.total])).toEqual([
      ['T01-000003', 3, 1050],
      ['T01-000002', 2, 700],
    ]);
    const older = await t.ok('sales.list', { before: sales[1]!.createdAt }, mgr);
    expect(older.sales.map((s) => s.number)).toEqual(['T01-000001']);
    const plain = await t.ok('sales.receipt', { id: 'T01-000001' }, token);
    expect(plain.receipt.reprint).toBe(false);
    expect(plain.receipt.text).not.toContain('重打');
    const re = await t.ok('sales.reprint', { id: 'T01-000001' }, token);
    expect(re.receipt.reprint).toBe(true);
    expect(re.receipt.text).toContain('重打小票');
    expect((await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action)).toContain('sale.reprint');
  });

  it('refuses a second payment while one is in flight', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartOf(t, token);
    const [a, b] = await Promise.all([
      t.core.call('cart.pay', { tenders: [{ type: 'payment_code', amount: 3411, code: WECHAT }] }, { token }),
      t.core.call('cart.pay', { tenders: [{ type: 'cash', amount: 3411 }] }, { token }),
    ]);
    expect(a.ok).toBe(true);
    expect(b.ok ? 'ok' : b.error.code).toBe('CONFLICT');
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('sales.list', {}, mgr)).sales).toHaveLength(1);
  });
});
