// Coupons at the till on a real SQLite core with sync attached and no hub answering (a closed
// loopback port): coupon facts are put in the till's replica as the cloud would send them. So
// this is the till cut off from its hub: only a member's own coupon is accepted, and every check
// (validity, member, scope, minimum spend, already spent) answers with its own code. The hub's
// hold with two tills online is in test/sync/coupons-loop.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, type Coupon } from '../../../sync/core';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

const NOWHERE = 'http://127.0.0.1:9';
const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const consent = { marketing: true, channel: 'customer-display', textVersion: 'v1' };

let t: TestCore;
afterEach(() => t?.cleanup());

function open(): TestCore {
  t = openTestCore({ sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-2026', intervalMs: 60_000 } });
  return t;
}

/** Puts coupon facts into the till's replica as the cloud (an HQ node) writes them. */
async function issue(coupons: Partial<Coupon>[]): Promise<void> {
  const cloud = new OpFactory(new HybridClock({ nodeId: 'C000000c1', now: () => t.clock.now.getTime() }));
  const storeId = t.core.storeId;
  await t.core.sync!.outbox.storage.apply(
    coupons.map((c) =>
      cloud.fact(`store:${storeId}`, 'coupon', c.code!, {
        storeId,
        memberId: null,
        name: '满50减10',
        nameEn: '¥10 off ¥50',
        kind: 'value',
        value: 1000,
        giftSku: null,
        minSpend: 0,
        skus: [],
        categories: [],
        validFrom: '2026-11-01T00:00:00Z',
        validTo: '2026-12-31T00:00:00Z',
        ...c,
      }),
    ),
    'up:cloud',
  );
}

async function member(token: string, phone: string): Promise<string> {
  return (await t.ok('members.signUp', { phone, name: '王小明', consent }, token)).member.id;
}

describe('coupons at a till cut off from its hub', () => {
  it("a member's own coupon: needs that member on the sale, shows as a named discount, is spent once", async () => {
    open();
    const token = await t.login(PINS.cashier);
    const wang = await member(token, '13812345678');
    const li = await member(token, '13912345678');
    await issue([{ code: 'CPNMEMBER01', memberId: wang, minSpend: 3000 }]);
    await t.ok('cart.add', { sku: milk.sku, quantity: 2 }, token);
    expect(await t.fail('cart.applyCoupon', { code: 'coupon:cpnmember01' }, token)).toMatchObject({
      code: 'COUPON_WRONG_MEMBER',
      details: { reason: 'no-member' },
    });
    await t.ok('cart.setMember', { memberId: li }, token);
    expect(await t.fail('cart.applyCoupon', { code: 'CPNMEMBER01' }, token)).toMatchObject({
      code: 'COUPON_WRONG_MEMBER',
      details: { reason: 'other-member' },
    });
    await t.ok('cart.setMember', { memberId: wang }, token);
    const { cart } = await t.ok('cart.applyCoupon', { code: 'coupon:CPNMEMBER01' }, token);
    expect(cart.coupon).toMatchObject({ code: 'CPNMEMBER01', amount: 1000, shortBy: 0, held: 'offline' });
    expect(cart.total).toBe(2 * milk.price - 1000);
    expect(cart.lines[0]!.discounts).toContainEqual(
      expect.objectContaining({ ruleId: 'coupon:CPNMEMBER01', name: '满50减10', kind: 'coupon', amount: 1000 }),
    );
    // Applying it again is harmless; a second coupon is refused.
    await t.ok('cart.applyCoupon', { code: 'CPNMEMBER01' }, token);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
    expect(paid.total).toBe(2 * milk.price - 1000);
    const fact = t.core.sync!.outbox.storage.keyRangeSync({
      t: 'fact',
      scope: `store:${t.core.storeId}`,
      e: 'coupon_redemption',
      fromKey: 'CPNMEMBER01.',
      toKey: 'CPNMEMBER01/',
    }).ops;
    expect(fact.map((o) => o.b)).toEqual([
      expect.objectContaining({ code: 'CPNMEMBER01', saleId: paid.saleId, amount: 1000, offline: true }),
    ]);
    const sale = (await t.ok('sales.get', { id: paid.saleId }, token)).sale;
    expect(sale.discount).toBe(1000);
    // Spent: the next sale cannot take it again, even on this till alone.
    await t.ok('cart.add', { sku: milk.sku, quantity: 2 }, token);
    await t.ok('cart.setMember', { memberId: wang }, token);
    expect(await t.fail('cart.applyCoupon', { code: 'CPNMEMBER01' }, token)).toMatchObject({
      code: 'COUPON_ALREADY_REDEEMED',
      details: { reason: 'spent', saleNumber: paid.saleNumber },
    });
  });

  it('expired, not yet valid, below the minimum spend, out of scope, unknown and bearer coupons each say why', async () => {
    open();
    const token = await t.login(PINS.cashier);
    const wang = await member(token, '13812345678');
    await issue([
      { code: 'CPNOLD01', memberId: wang, validTo: '2026-11-28T00:00:00Z' },
      { code: 'CPNSOON01', memberId: wang, validFrom: '2026-12-01T00:00:00Z' },
      { code: 'CPNBIG01', memberId: wang, minSpend: 10_000 },
      { code: 'CPNCOLA01', memberId: wang, skus: [cola.sku] },
      { code: 'CPNBEARER1' },
      { code: 'CPNELSEWHERE', storeId: 'S999' },
    ]);
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    await t.ok('cart.setMember', { memberId: wang }, token);
    const fail = (code: string) => t.fail('cart.applyCoupon', { code }, token);
    expect(await fail('CPNOLD01')).toMatchObject({ code: 'COUPON_NOT_VALID', details: { reason: 'expired' } });
    expect((await fail('CPNOLD01')).message).toContain('expired');
    expect(await fail('CPNSOON01')).toMatchObject({ code: 'COUPON_NOT_VALID', details: { reason: 'not-yet' } });
    expect(await fail('CPNBIG01')).toMatchObject({
      code: 'COUPON_MIN_SPEND',
      details: { minSpend: 10_000, shortBy: 10_000 - milk.price },
    });
    expect(await fail('CPNCOLA01')).toMatchObject({ code: 'COUPON_NOT_APPLICABLE' });
    expect(await fail('CPNNOSUCH1')).toMatchObject({ code: 'COUPON_NOT_FOUND' });
    expect(await fail('CPNELSEWHERE')).toMatchObject({ code: 'COUPON_NOT_FOUND' });
    // A bearer coupon is anyone's: without the hub nobody can vouch it was not spent elsewhere.
    expect(await fail('CPNBEARER1')).toMatchObject({ code: 'COUPON_OFFLINE' });
    const mgr = await t.login(PINS.manager);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.filter((e) => e.action === 'coupon.refused');
    expect(audit.length).toBeGreaterThanOrEqual(7);
  });

  it('a removed line takes the cart below the minimum spend: the coupon shows what is missing and payment is refused until fixed', async () => {
    open();
    const token = await t.login(PINS.cashier);
    const wang = await member(token, '13812345678');
    await issue([{ code: 'CPNPCT01', memberId: wang, kind: 'percent', value: 10, minSpend: 3000 }]);
    await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, token);
    const second = await t.ok('cart.add', { sku: cola.sku, quantity: 4 }, token);
    await t.ok('cart.setMember', { memberId: wang }, token);
    const applied = (await t.ok('cart.applyCoupon', { code: 'CPNPCT01' }, token)).cart;
    const eligible = milk.price + 4 * cola.price;
    expect(applied.coupon!.amount).toBe(Math.floor(eligible / 10 + 0.5));
    const after = (await t.ok('cart.remove', { lineId: second.lineId }, token)).cart;
    expect(after.coupon).toMatchObject({ amount: 0, shortBy: 3000 - milk.price });
    expect(await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token)).toMatchObject({
      code: 'COUPON_MIN_SPEND',
    });
    const removed = (await t.ok('cart.removeCoupon', {}, token)).cart;
    expect(removed.coupon).toBeNull();
    expect(removed.total).toBe(milk.price);
    await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, token);
  });

  it('another till redeemed the same coupon while cut off: after sync the manager sees it with both sales', async () => {
    open();
    const token = await t.login(PINS.cashier);
    const wang = await member(token, '13812345678');
    await issue([{ code: 'CPNTWICE01', memberId: wang }]);
    await t.ok('cart.add', { sku: milk.sku, quantity: 3 }, token);
    await t.ok('cart.setMember', { memberId: wang }, token);
    await t.ok('cart.applyCoupon', { code: 'CPNTWICE01' }, token);
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 10_000 }] }, token);
    // T02's redemption, stamped a minute earlier, arrives by sync.
    const t02 = new OpFactory(new HybridClock({ nodeId: 'S1_T02', now: () => t.clock.now.getTime() - 60_000 }));
    await t.core.sync!.outbox.storage.apply(
      [
        t02.fact(`store:${t.core.storeId}`, 'coupon_redemption', 'CPNTWICE01.sale-t02', {
          code: 'CPNTWICE01',
          saleId: 'sale-t02',
          saleNumber: 'T02-000007',
          terminalId: 'T02',
          at: '2026-11-29T01:59:00.000Z',
          amount: 1000,
          offline: true,
        }),
      ],
      'up:hub',
    );
    await new Promise((r) => setImmediate(r));
    const mgr = await t.login(PINS.manager);
    const { conflicts } = await t.ok('coupons.conflicts', {}, mgr);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.sales.map((s) => [s.saleNumber, s.counts])).toEqual([
      ['T02-000007', true],
      [paid.saleNumber, false],
    ]);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.find((e) => e.action === 'coupon.conflict');
    expect(audit?.detail).toMatchObject({ code: 'CPNTWICE01' });
    expect(await t.fail('coupons.conflicts', {}, token)).toMatchObject({ code: 'FORBIDDEN' });
  });
});
