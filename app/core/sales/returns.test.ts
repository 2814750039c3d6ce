import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;
const WECHAT = '134567890123456789';

async function sell(t: TestCore, token: string, tenders: unknown[]) {
  await t.ok('cart.add', { sku: milk.sku, quantity: 3 }, token); // 55.50
  await t.ok('cart.add', { sku: bananas.sku, weightGrams: 2000 }, token); // 13.96
  return t.ok('cart.pay', { tenders }, token); // 69.46
}

describe('returns', () => {
  it('finds the sale by its receipt code and shows what is refundable', async () => {
    t = openTestCore();
    const token = await t.login();
    const paid = await sell(t, token, [{ type: 'cash', amount: 10000 }]);
    const { sale } = await t.ok('returns.lookup', { code: paid.receipt.code }, token);
    expect(sale).toMatchObject({ id: paid.saleId, refundable: 6946 });
    expect((await t.fail('returns.lookup', { code: 'R:demo-store:T01-009999' }, token)).code).toBe('SALE_NOT_FOUND');
  });

  it('needs a manager PIN from a cashier; a wrong PIN is refused; nothing is written', async () => {
    t = openTestCore();
    const token = await t.login();
    const paid = await sell(t, token, [{ type: 'cash', amount: 10000 }]);
    const line = (await t.ok('sales.get', { id: paid.saleId }, token)).sale.lines[0]!;
    const input = { saleId: paid.saleId, lines: [{ lineId: line.lineId, quantity: 1 }], reason: '包装破损' };
    expect((await t.fail('returns.create', input, token)).code).toBe('MANAGER_REQUIRED');
    expect((await t.fail('returns.create', { ...input, managerPin: '0000' }, token)).code).toBe('WRONG_PIN');
    expect((await t.fail('returns.create', { ...input, managerPin: PINS.cashier2 }, token)).code).toBe('WRONG_PIN');
    expect((await t.ok('sales.get', { id: paid.saleId }, token)).sale.returns).toEqual([]);
  });

  it('takes partial returns by quantity and weight, refunds cash, restocks, and refuses over-returns', async () => {
    t = openTestCore();
    const token = await t.login();
    const paid = await sell(t, token, [{ type: 'cash', amount: 10000 }]);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    const [milkLine, bananaLine] = sale.lines as [(typeof sale.lines)[0], (typeof sale.lines)[0]];
    const stockBefore = (await t.ok('stock.get', { sku: milk.sku }, token)).onHand;
    const r1 = await t.ok(
      'returns.create',
      {
        saleId: paid.receipt.code,
        lines: [
          { lineId: milkLine.lineId, quantity: 2 },
          { lineId: bananaLine.lineId, weightGrams: 500 },
        ],
        reason: '临期',
        managerPin: PINS.manager,
      },
      token,
    );
    expect(r1.return).toMatchObject({
      saleId: paid.saleId,
      amount: 3700 + 349,
      reason: '临期',
      approvedBy: { name: '张敏', role: 'manager' },
    });
    expect(r1.return.tenders).toEqual([
      { type: 'cash', amount: 4049, tendered: 4049, reference: null, provider: null },
    ]);
    expect((await t.ok('stock.get', { sku: milk.sku }, token)).onHand).toBe(stockBefore + 2);

    const after = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    expect(after.lines.map((l) => [l.returnedQuantity, l.returnedWeightGrams])).toEqual([
      [2, 0],
      [0, 500],
    ]);
    expect(after.returns).toHaveLength(1);

    const over = await t.fail(
      'returns.create',
      { saleId: paid.saleId, lines: [{ lineId: milkLine.lineId, quantity: 2 }], reason: 'x', managerPin: PINS.manager },
      token,
    );
    expect(over.code).toBe('RETURN_EXCEEDS_SALE');
    expect(over.message).toMatch(/At most 1/);
    expect(
      (
        await t.fail(
          'returns.create',
          {
            saleId: paid.saleId,
            lines: [{ lineId: bananaLine.lineId, weightGrams: 1501 }],
            reason: 'x',
            managerPin: PINS.manager,
          },
          token,
        )
      ).code,
    ).toBe('RETURN_EXCEEDS_SALE');
    expect(
      (
        await t.fail(
          'returns.create',
          { saleId: paid.saleId, lines: [{ lineId: 'nope' }], reason: 'x', managerPin: PINS.manager },
          token,
        )
      ).code,
    ).toBe('LINE_NOT_FOUND');

    // The rest of the sale: amounts add up exactly to what was paid.
    const mgr = await t.login(PINS.manager);
    const r2 = await t.ok(
      'returns.create',
      { saleId: paid.saleId, lines: [{ lineId: milkLine.lineId }, { lineId: bananaLine.lineId }], reason: '顾客退货' },
      mgr,
    );
    expect(r2.return.amount).toBe(6946 - 4049);
    expect(r2.return.approvedBy.name).toBe('张敏');
    expect((await t.ok('returns.lookup', { code: paid.saleId }, token)).sale.refundable).toBe(0);
    expect(
      (
        await t.fail(
          'returns.create',
          { saleId: paid.saleId, lines: [{ lineId: milkLine.lineId, quantity: 1 }], reason: 'x' },
          mgr,
        )
      ).code,
    ).toBe('RETURN_EXCEEDS_SALE');
    const audit = (await t.ok('audit.list', {}, mgr)).entries.filter((e) => e.action === 'return.create');
    expect(audit).toHaveLength(2);
    expect(audit[1]!.staff?.name).toBe('李娜');
    expect(audit[1]!.approvedBy?.name).toBe('张敏');
  });

  it('refuses a line listed twice in one return instead of dropping the repeat, and writes nothing', async () => {
    t = openTestCore();
    const token = await t.login();
    const paid = await sell(t, token, [{ type: 'cash', amount: 10000 }]);
    const milkLine = (await t.ok('sales.get', { id: paid.saleId }, token)).sale.lines[0]!;
    // Two lines of 1 each are 2 items: silently refunding only the first would shortchange
    // the customer or hide a cashier's mistake; the till must say so instead.
    const e = await t.fail(
      'returns.create',
      {
        saleId: paid.saleId,
        lines: [
          { lineId: milkLine.lineId, quantity: 1 },
          { lineId: milkLine.lineId, quantity: 1 },
        ],
        reason: '重复',
        managerPin: PINS.manager,
      },
      token,
    );
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toMatch(/twice/);
    expect(e.details).toMatchObject({ lineId: milkLine.lineId });
    // Refused before the manager PIN is checked, and nothing was recorded.
    expect(
      (
        await t.fail(
          'returns.create',
          { saleId: paid.saleId, lines: [{ lineId: milkLine.lineId }, { lineId: milkLine.lineId }], reason: 'x' },
          token,
        )
      ).code,
    ).toBe('BAD_INPUT');
    const after = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    expect(after.returns).toEqual([]);
    expect(after.lines[0]!.returnedQuantity).toBe(0);
  });

  it('refunds to the original tenders: payment code first through the provider, then cash', async () => {
    t = openTestCore();
    const token = await t.login();
    const paid = await sell(t, token, [
      { type: 'payment_code', amount: 5000, code: WECHAT },
      { type: 'cash', amount: 2000 },
    ]);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    const r = await t.ok(
      'returns.create',
      {
        saleId: paid.saleId,
        lines: sale.lines.map((l) => ({ lineId: l.lineId })),
        reason: '整单退',
        managerPin: PINS.manager,
      },
      token,
    );
    expect(r.return.amount).toBe(6946);
    expect(r.return.tenders.map((x) => [x.type, x.amount, x.provider])).toEqual([
      ['payment_code', 5000, 'wechat-sandbox'],
      ['cash', 1946, null],
    ]);
    expect(t.provider.refunds).toHaveLength(1);
    expect(t.provider.refunds[0]).toMatchObject({ amount: 5000, saleId: paid.saleId, wallet: 'wechat' });
  });

  it('settles cash rounding on the return that empties the sale', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    await t.ok('config.set', { patch: { cashRounding: { mode: 'down', unit: 100 } } }, mgr);
    const paid = await sell(t, mgr, [{ type: 'cash', amount: 6900 }]);
    expect(paid).toMatchObject({ total: 6900, rounding: -46 });
    const sale = (await t.ok('sales.get', { id: paid.saleId }, mgr)).sale;
    const r1 = await t.ok(
      'returns.create',
      { saleId: paid.saleId, lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }], reason: 'x' },
      mgr,
    );
    expect(r1.return.amount).toBe(1850);
    const r2 = await t.ok(
      'returns.create',
      { saleId: paid.saleId, lines: sale.lines.map((l) => ({ lineId: l.lineId })), reason: 'x' },
      mgr,
    );
    expect(r1.return.amount + r2.return.amount).toBe(6900);
  });

  it('refuses a second return on the till while one is talking to the gateway', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const paid = await sell(t, mgr, [{ type: 'payment_code', amount: 6946, code: WECHAT }]);
    const line = (await t.ok('sales.get', { id: paid.saleId }, mgr)).sale.lines[0]!;
    const [a, b] = await Promise.all([
      t.core.call(
        'returns.create',
        { saleId: paid.saleId, lines: [{ lineId: line.lineId, quantity: 3 }], reason: 'x' },
        { token: mgr },
      ),
      t.core.call(
        'returns.create',
        { saleId: paid.saleId, lines: [{ lineId: line.lineId, quantity: 3 }], reason: 'x' },
        { token: mgr },
      ),
    ]);
    expect([a.ok, b.ok ? 'ok' : b.error.code]).toEqual([true, 'CONFLICT']);
    expect(t.provider.refunds).toHaveLength(1);
  });
});
