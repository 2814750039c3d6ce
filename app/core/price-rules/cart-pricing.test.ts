// The cart priced by the engine on a real till core (real SQLite): rules written to the till's
// table show on the next scan with the original price, the discount's name and the saving; a sale
// keeps its lines' discounts; a return refunds what the line was paid; a rule that opens while
// the cart is open re-prices it with a note, and payment refuses a total the cashier has not seen.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqlite } from '../db';
import { priceRuleSchema, type PriceRuleInput, type PricingMember } from '../pricing';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { demoProducts } from '../seed';
import { storeRule } from './index';

const products = demoProducts();
const apples = products.find((p) => p.sku === '100001')!; // ¥12.90, fruit
const oranges = products.find((p) => p.sku === '100003')!; // ¥19.90, fruit
const bananas = products.find((p) => p.sku === '100002')!; // ¥8.90, fruit
const looseApples = products.find((p) => p.sku === '101202')!; // ¥11.98/kg, weighed-produce
const milk = products.find((p) => p.category === 'dairy' && p.unit === 'each')!;

let t: TestCore | null = null;
afterEach(() => {
  t?.cleanup();
  t = null;
});

/** Writes rules the way the sync mirror does, through a second connection to the till's file. */
function putRules(core: TestCore, rules: (Omit<PriceRuleInput, 'name'> & { name?: string })[]): void {
  const db = openSqlite(join(core.dataDir, 'terminal.db'));
  for (const r of rules) storeRule(db, priceRuleSchema.parse({ name: r.id, ...r }), new Date());
  db.close();
}

describe('the cart priced by the rules', () => {
  it('shows original price, discount name and saving per line, keeps them on the sale, and a return refunds what was paid', async () => {
    let member: PricingMember | null = null;
    t = openTestCore({ cartMember: () => member });
    const token = await t.login();
    putRules(t, [
      {
        id: 'fruit-half',
        name: '水果第二件半价',
        effect: { type: 'nth_item', n: 2, percentOff: 50 },
        target: { categories: ['fruit'] },
      },
      {
        id: 'gold-milk',
        name: '金卡会员价',
        effect: { type: 'member_price', prices: { gold: milk.price - 200 } },
        target: { skus: [milk.sku] },
      },
      {
        id: 'loose-apples',
        name: '苹果特价',
        effect: { type: 'fixed_price', price: 999 },
        target: { skus: [looseApples.sku] },
      },
    ]);
    await t.ok('cart.add', { sku: apples.sku, quantity: 1 }, token);
    let cart = (await t.ok('cart.add', { sku: oranges.sku, quantity: 1 }, token)).cart;
    // Oranges ¥19.90 are the dearer: apples (¥12.90) are the second item, half price.
    expect(cart.lines.map((l) => [l.sku, l.originalPrice, l.saved, l.total])).toEqual([
      [apples.sku, 1290, 645, 645],
      [oranges.sku, 1990, 0, 1990],
    ]);
    expect(cart.lines[0]!.discounts).toEqual([
      { ruleId: 'fruit-half', name: '水果第二件半价', nameEn: '', kind: 'nth_item', amount: 645 },
    ]);
    cart = (await t.ok('cart.add', { sku: looseApples.sku, weightGrams: 1500 }, token)).cart;
    expect(cart.lines[2]).toMatchObject({ originalPrice: 1797, total: 1499, saved: 298 }); // ¥9.99/kg × 1.5 kg
    cart = (await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token)).cart;
    expect(cart.lines[3]!.saved).toBe(0); // no member yet
    member = { id: 'm1', level: 'gold', tags: [] };
    cart = (await t.ok('cart.get', {}, token)).cart;
    expect(cart.lines[3]).toMatchObject({ saved: 200, discounts: [{ ruleId: 'gold-milk', amount: 200 }] });
    expect(cart.saved).toBe(645 + 298 + 200);
    expect(cart.total).toBe(cart.subtotal - cart.saved);

    // The member arrived without a cashier's change of the cart (on the members branch cart.setMember
    // is one): payment first shows the new prices with a note.
    expect(await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: cart.total }] }, token)).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'cart-repriced' },
    });
    expect((await t.ok('cart.get', {}, token)).cart.pricingNotes.map((n) => n.ruleId)).toEqual(['gold-milk']);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: cart.total }] }, token);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    expect(sale.total).toBe(cart.total);
    expect(sale.lines[0]!.discounts).toEqual(cart.lines[0]!.discounts);
    expect(paid.receipt.text).toContain('水果第二件半价');
    // Returning the half-price apples refunds the ¥6.45 paid, not the ¥12.90 shelf price.
    const r = await t.ok(
      'returns.create',
      {
        saleId: paid.saleId,
        lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }],
        reason: '不新鲜',
        managerPin: PINS.manager,
      },
      token,
    );
    expect(r.return.amount).toBe(645);
  });

  it('a rule that opens mid-cart re-prices it with a note; payment refuses the total the cashier has not seen', async () => {
    t = openTestCore({ repriceMs: 60_000 });
    const token = await t.login();
    // 18:00 Shanghai today (the test clock starts at 10:00 Shanghai, 2026-11-29).
    putRules(t, [
      {
        id: 'evening',
        name: '晚市 −30%',
        nameEn: 'Evening −30%',
        stacking: 'exclusive',
        effect: { type: 'percent', percentOff: 30 },
        target: { categories: ['fruit'] },
        window: { hours: { start: '18:00', end: '22:00' } },
      },
    ]);
    const cart = (await t.ok('cart.add', { sku: bananas.sku, quantity: 2 }, token)).cart;
    expect(cart.total).toBe(1780);
    t.clock.advance(8 * 3_600_000); // 18:00 in the store
    const err = await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 1780 }] }, token);
    expect(err).toMatchObject({ code: 'CONFLICT', details: { reason: 'cart-repriced' } });
    const now = (await t.ok('cart.get', {}, token)).cart;
    expect(now.total).toBe(1780 - 534);
    expect(now.pricingNotes).toEqual([
      { ruleId: 'evening', name: '晚市 −30%', nameEn: 'Evening −30%', change: 'opened' },
    ]);
    const seen = t.events.filter((e) => e.type === 'cart.changed').at(-1);
    expect(seen && seen.type === 'cart.changed' && seen.cart.pricingNotes.length).toBe(1);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 2000 }] }, token);
    expect(paid.change).toBe(2000 - 1246);
  });

  it('a manager sets an evening markdown; it lists, prices this till at once, and ends on request', async () => {
    t = openTestCore();
    const cashier = await t.login();
    const mgr = await t.login(PINS.manager);
    expect(
      (await t.fail('pricing.markdown', { from: '09:00', categories: ['fruit'], percentOff: 30 }, cashier)).code,
    ).toBe('FORBIDDEN');
    expect((await t.fail('pricing.markdown', { from: '09:00', categories: ['fruit'] }, mgr)).code).toBe('BAD_INPUT');
    expect((await t.fail('pricing.markdown', { from: '09:00', categories: ['fruit'], percentOff: 95 }, mgr)).code).toBe(
      'BAD_INPUT',
    );
    await t.ok('cart.add', { sku: apples.sku, quantity: 1 }, cashier);
    const { rule } = await t.ok('pricing.markdown', { from: '09:00', categories: ['fruit'], percentOff: 30 }, mgr);
    expect(rule).toMatchObject({
      origin: 'store',
      kind: 'percent',
      percentOff: 30,
      openNow: true,
      to: '2026-11-29T16:00:00.000Z',
    });
    const cart = (await t.ok('cart.get', {}, cashier)).cart;
    expect(cart.lines[0]).toMatchObject({ total: 903, discounts: [{ ruleId: rule.id, name: '晚间打折 −30%' }] });
    expect(cart.pricingNotes).toEqual([expect.objectContaining({ ruleId: rule.id, change: 'opened' })]);
    const later = await t.ok('pricing.markdown', { from: '19:30', skus: [looseApples.sku], price: 600 }, mgr);
    expect(later.rule.openNow).toBe(false);
    expect((await t.ok('pricing.rules', {}, mgr)).rules.map((r) => r.id)).toEqual([rule.id, later.rule.id]);
    await t.ok('pricing.endMarkdown', { id: rule.id }, mgr);
    expect((await t.ok('cart.get', {}, cashier)).cart.lines[0]!.total).toBe(1290);
    expect((await t.ok('pricing.rules', {}, mgr)).rules.map((r) => r.id)).toEqual([later.rule.id]);
    // The markdown expires at the store's midnight.
    t.clock.advance(14 * 3_600_000);
    expect((await t.ok('pricing.rules', {}, mgr)).rules).toEqual([]);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['pricing.markdown', 'pricing.markdown_end']));
  });
});
