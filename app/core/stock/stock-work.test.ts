// Stock work on one till's real SQLite: receiving with a purchase order (variance, partial
// receipt), waste with reasons valued at cost (manager approval above the store's line, a
// warning before writing off more than the store has), and a blind stocktake during which
// the till keeps selling: the count resets only what it saw and the sale still comes off.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const products = demoProducts();
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;

const onHand = async (sku: string, token: string) => (await t.ok('stock.get', { sku }, token)).onHand;

describe('stock work', () => {
  it('receives against a purchase order: weighed and counted lines, cost, variance, outstanding lines, ledger body', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const colaBefore = await onHand(cola.sku, mgr);
    const bananasBefore = await onHand(bananas.sku, mgr);
    const r = await t.ok(
      'stock.receive',
      {
        po: {
          id: 'PO-20261205-01',
          lines: [
            { sku: cola.sku, quantity: 48 },
            { sku: bananas.sku, quantity: 20_000 },
            { sku: milk.sku, quantity: 12 },
          ],
        },
        lines: [
          { sku: cola.sku, quantity: 24, unitCost: 180 },
          { sku: cola.sku, quantity: 20, unitCost: 180 },
          { sku: bananas.sku, weightGrams: 20_350, unitCost: 420 },
        ],
      },
      mgr,
    );
    expect(r.lines.map((l) => [l.sku, l.quantity, l.value, l.variance])).toEqual([
      [cola.sku, 24, 4320, -4],
      [cola.sku, 20, 3600, -4],
      [bananas.sku, 20_350, 8547, 350],
    ]);
    expect(r.outstanding).toEqual([{ sku: milk.sku, ordered: 12 }]);
    expect(r.total).toBe(4320 + 3600 + 8547);
    expect(await onHand(cola.sku, mgr)).toBe(colaBefore + 44);
    expect(await onHand(bananas.sku, mgr)).toBe(bananasBefore + 20_350);
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    try {
      const bodies = db
        .prepare("SELECT body FROM stock_movements WHERE kind = 'receive' ORDER BY id")
        .all()
        .map((r) => JSON.parse((r as { body: string }).body) as unknown);
      expect(bodies[0]).toMatchObject({ cost: 180, po: 'PO-20261205-01', staff: expect.any(String) });
      expect((db.prepare('SELECT cost FROM products WHERE sku = ?').get(bananas.sku) as { cost: number }).cost).toBe(
        420,
      );
    } finally {
      db.close();
    }
    const audit = (await t.ok('audit.list', {}, mgr)).entries.find((e) => e.action === 'stock.receive');
    expect(audit?.detail).toMatchObject({ po: 'PO-20261205-01', lines: 3 });
    // The receiving note (the till prints it; this core has no printer, so not printed).
    expect(r.note.printed).toBe(false);
    expect(r.note.document).toContain('收货单');
    expect(r.note.text).toContain('PO-20261205-01');
    expect(r.note.text).toContain('可口可乐 330ml');
    expect(r.note.text).toContain('短 x 4');
    expect(r.note.text).toContain('多 0.350kg');
    // The ordered milk that did not come is listed by name under 未到货.
    const missing = r.note.text.slice(r.note.text.indexOf('未到货'));
    expect(missing).toContain('有机牛奶 1L');
    expect(r.note.text).toContain('164.67');
    // The waste screen values at the cost received here.
    expect((await t.ok('stock.get', { sku: cola.sku }, mgr)).unitCost).toBe(180);
    expect((await t.ok('stock.get', { sku: milk.sku }, mgr)).unitCost).toBeNull();
  });

  it('a weighed line without a weight is refused and nothing is received', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const before = await onHand(cola.sku, mgr);
    const e = await t.fail(
      'stock.receive',
      {
        lines: [
          { sku: cola.sku, quantity: 5, unitCost: 100 },
          { sku: bananas.sku, quantity: 3, unitCost: 420 },
        ],
      },
      mgr,
    );
    expect(e.code).toBe('WEIGHT_REQUIRED');
    expect(await onHand(cola.sku, mgr)).toBe(before);
  });

  it('writes off waste at cost; a cashier needs a manager above the line; more than on hand needs confirming', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    await t.ok('stock.receive', { lines: [{ sku: bananas.sku, weightGrams: 10_000, unitCost: 400 }] }, mgr);
    const cashier = await t.login();
    const level = await onHand(bananas.sku, cashier);

    // 1.5 kg at ¥4.00/kg = ¥6.00: under the ¥50 line, the cashier writes it off alone.
    const small = await t.ok('stock.waste', { sku: bananas.sku, weightGrams: 1500, reason: 'spoiled' }, cashier);
    expect(small).toMatchObject({ quantity: 1500, cost: 600, reason: 'spoiled', approvedBy: null });
    expect(await onHand(bananas.sku, cashier)).toBe(level - 1500);

    // Lower the line to ¥5: the next ¥6 write-off needs a manager's PIN.
    await t.ok('config.set', { patch: { wasteApprovalFen: 500 } }, mgr);
    const need = await t.fail('stock.waste', { sku: bananas.sku, weightGrams: 1500, reason: 'expired' }, cashier);
    expect(need).toMatchObject({ code: 'MANAGER_REQUIRED', details: { reason: 'waste-over-limit', limitYuan: 5 } });
    const approved = await t.ok(
      'stock.waste',
      { sku: bananas.sku, weightGrams: 1500, reason: 'expired', managerPin: PINS.manager },
      cashier,
    );
    expect(approved.approvedBy).not.toBeNull();

    // More than the store has: a warning first, written off only when confirmed.
    const left = await onHand(bananas.sku, cashier);
    const over = await t.fail('stock.waste', { sku: bananas.sku, weightGrams: left + 1, reason: 'theft' }, mgr);
    expect(over).toMatchObject({ code: 'CONFLICT', details: { reason: 'waste-exceeds-stock', onHand: left } });
    expect(await onHand(bananas.sku, cashier)).toBe(left);
    await t.ok('stock.waste', { sku: bananas.sku, weightGrams: left + 1, reason: 'theft', confirmShortage: true }, mgr);
    expect(await onHand(bananas.sku, cashier)).toBe(-1);

    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    try {
      const rows = db.prepare("SELECT quantity, body FROM stock_movements WHERE kind = 'adjust' ORDER BY id").all() as {
        quantity: number;
        body: string;
      }[];
      expect(rows.map((r) => [r.quantity, (JSON.parse(r.body) as { waste: string; cost: number }).waste])).toEqual([
        [-1500, 'spoiled'],
        [-1500, 'expired'],
        [-(left + 1), 'theft'],
      ]);
      expect(JSON.parse(rows[0]!.body)).toMatchObject({ waste: 'spoiled', cost: 600, staff: expect.any(String) });
    } finally {
      db.close();
    }
  });

  it('a blind stocktake resets only what it counted, and a sale during the count still comes off', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const started = await t.ok('stocktake.start', { skus: [cola.sku, milk.sku] }, mgr);
    expect(started.lines.map((l) => l.sku)).toEqual([cola.sku, milk.sku]);
    expect(started.lines[0]).not.toHaveProperty('expected');
    const bananasBefore = await onHand(bananas.sku, mgr);
    const milkBefore = await onHand(milk.sku, mgr);

    const cashier = await t.login();
    // Staff count the cola shelf: 30 cans, in two places.
    await t.ok('stocktake.count', { stocktakeId: started.stocktakeId, sku: cola.sku, quantity: 20 }, cashier);
    t.clock.advance(1000);
    await t.ok(
      'stocktake.count',
      { stocktakeId: started.stocktakeId, sku: cola.sku, quantity: 10, add: true },
      cashier,
    );
    expect((await t.ok('stocktake.sheet', { stocktakeId: started.stocktakeId }, cashier)).lines[0]!.counted).toBe(30);
    // A product not on the sheet is refused.
    expect(
      (await t.fail('stocktake.count', { stocktakeId: started.stocktakeId, sku: bananas.sku, weightGrams: 5 }, cashier))
        .code,
    ).toBe('NOT_FOUND');

    // After the count, before the post, the till sells 2 cans.
    t.clock.advance(60_000);
    await t.ok('cart.add', { sku: cola.sku, quantity: 2 }, cashier);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, cashier);
    t.clock.advance(60_000);

    const colaNow = await onHand(cola.sku, mgr);
    const report = await t.ok('stocktake.variance', { stocktakeId: started.stocktakeId }, mgr);
    expect(report.lines).toEqual([
      expect.objectContaining({ sku: cola.sku, counted: 28, expected: colaNow, variance: 28 - colaNow }),
    ]);
    const posted = await t.ok('stocktake.post', { stocktakeId: started.stocktakeId }, mgr);
    expect(posted.posted).toBe(1);
    expect(await onHand(cola.sku, mgr)).toBe(28);
    // Milk was on the sheet but not counted: untouched. Bananas were never on it.
    expect(await onHand(milk.sku, mgr)).toBe(milkBefore);
    expect(await onHand(bananas.sku, mgr)).toBe(bananasBefore);
    // Posted once only.
    expect((await t.fail('stocktake.post', { stocktakeId: started.stocktakeId }, mgr)).details).toMatchObject({
      reason: 'stocktake-posted',
    });
    // Sales after the post come off the counted level.
    await t.ok('cart.add', { sku: cola.sku, quantity: 1 }, cashier);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, cashier);
    expect(await onHand(cola.sku, mgr)).toBe(27);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['stocktake.start', 'stocktake.post']));
  });

  it('lists the sheets to count on (open first, progress, never expected levels) and the categories to start from', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const cashier = await t.login();
    const first = await t.ok('stocktake.start', { skus: [cola.sku, milk.sku] }, mgr);
    t.clock.advance(1000);
    const second = await t.ok('stocktake.start', { category: 'dairy' }, mgr);
    await t.ok('stocktake.count', { stocktakeId: first.stocktakeId, sku: cola.sku, quantity: 5 }, cashier);
    await t.ok('stocktake.post', { stocktakeId: first.stocktakeId }, mgr);
    const list = await t.ok('stocktake.list', {}, cashier);
    const dairy = products.filter((p) => p.category === 'dairy').length;
    expect(list.stocktakes).toEqual([
      expect.objectContaining({ id: second.stocktakeId, scopeKind: 'category', scope: 'dairy', status: 'open' }),
      expect.objectContaining({ id: first.stocktakeId, scopeKind: 'skus', scope: '', status: 'posted', lines: 2 }),
    ]);
    expect(list.stocktakes[0]).toMatchObject({ lines: dairy, counted: 0, postedAt: null });
    expect(list.stocktakes[1]).toMatchObject({ counted: 1, postedAt: expect.any(String) });
    expect(JSON.stringify(list)).not.toContain('expected');
    expect(list.categories).toContainEqual({ category: 'dairy', products: dairy });
  });

  it('stock actions check roles: a cashier cannot start or post a stocktake', async () => {
    t = openTestCore();
    const cashier = await t.login();
    expect((await t.fail('stocktake.start', { category: 'fruit' }, cashier)).code).toBe('FORBIDDEN');
  });
});
