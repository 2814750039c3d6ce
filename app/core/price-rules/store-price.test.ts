// A manager's store price change on a real till core (real SQLite): the cart prices with it at
// once or from the time it takes effect, a category changes in bulk, a cashier is refused, a
// raise above the chain price is refused, a newer change replaces the older one; and the shelf
// label printed through the real label printer (TSPL over TCP) is decoded by the label emulator
// with the new price, the unit and the member price.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createTransport, LabelPrinter, LabelPrinterEmulator, shelfLabelJob } from '../../../drivers';
import { openSqlite } from '../db';
import type { ShelfLabelPrinter } from '../devices';
import { priceRuleSchema } from '../pricing';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';
import { isStorePrice, storeRule } from './index';

const products = demoProducts();
const apples = products.find((p) => p.sku === '100001')!; // ¥12.90, fruit
const bananas = products.find((p) => p.sku === '100002')!; // ¥8.90, fruit
const looseApples = products.find((p) => p.sku === '101202')!; // ¥11.98/kg
const milk = products.find((p) => p.category === 'dairy' && p.unit === 'each')!;

let t: TestCore | null = null;
let emulator: LabelPrinterEmulator | null = null;
let printer: LabelPrinter | null = null;
afterEach(async () => {
  t?.cleanup();
  t = null;
  await printer?.close();
  printer = null;
  await emulator?.stop();
  emulator = null;
});

describe('store price changes (prices.set)', () => {
  it('a manager lowers one product now: the open cart prices with it, audited; a cashier is refused', async () => {
    t = openTestCore();
    const cashier = await t.login();
    const mgr = await t.login(PINS.manager);
    await t.ok('cart.add', { sku: apples.sku, quantity: 2 }, cashier);
    expect((await t.fail('prices.set', { skus: [apples.sku], price: 990 }, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('prices.set', { skus: [apples.sku] }, mgr)).code).toBe('BAD_INPUT');
    const raise = await t.fail('prices.set', { skus: [apples.sku], price: 1500 }, mgr);
    expect(raise).toMatchObject({ code: 'BAD_INPUT', details: { reason: 'price-above-base', sku: apples.sku } });
    expect((await t.fail('prices.set', { skus: ['nope'], price: 100 }, mgr)).code).toBe('PRODUCT_NOT_FOUND');

    const { rule } = await t.ok('prices.set', { skus: [apples.sku], price: 990 }, mgr);
    expect(rule).toMatchObject({ origin: 'store', kind: 'fixed_price', price: 990, openNow: true, to: null });
    expect(rule.id).toMatch(/^sp-/);
    const cart = (await t.ok('cart.get', {}, cashier)).cart;
    expect(cart.lines[0]).toMatchObject({ originalPrice: 2580, total: 1980 });
    // A newer change for the same product replaces the older one (here a return towards the chain price).
    const newer = await t.ok('prices.set', { skus: [apples.sku], price: 1190 }, mgr);
    expect((await t.ok('cart.get', {}, cashier)).cart.lines[0]!.total).toBe(2380);
    const ids = (await t.ok('pricing.rules', {}, mgr)).rules.map((r) => r.id);
    expect(ids).toContain(newer.rule.id);
    expect(ids).not.toContain(rule.id);
    const audit = (await t.ok('audit.list', {}, mgr)).entries.filter((e) => e.action === 'prices.set');
    expect(audit).toHaveLength(2);
  });

  it('a change from a later time leaves the price alone until then; the old price ends at that time', async () => {
    t = openTestCore();
    const cashier = await t.login();
    const mgr = await t.login(PINS.manager);
    const first = await t.ok('prices.set', { skus: [looseApples.sku], price: 999 }, mgr);
    const from = new Date(t.clock.now.getTime() + 3_600_000).toISOString();
    const later = await t.ok('prices.set', { skus: [looseApples.sku], price: 800, from }, mgr);
    expect(later.rule).toMatchObject({ openNow: false, from });
    expect(
      (await t.fail('prices.set', { skus: [looseApples.sku], price: 800, from: '2020-01-01T00:00:00Z' }, mgr)).details,
    ).toMatchObject({ reason: 'price-from-past' });
    let line = (await t.ok('cart.add', { sku: looseApples.sku, weightGrams: 2000 }, cashier)).cart.lines[0]!;
    expect(line.total).toBe(1998); // ¥9.99/kg × 2 kg
    t.clock.advance(3_600_000);
    line = (await t.ok('cart.get', {}, cashier)).cart.lines[0]!;
    expect(line.total).toBe(1600); // ¥8.00/kg
    const rules = (await t.ok('pricing.rules', {}, mgr)).rules;
    expect(rules.find((r) => r.id === first.rule.id)).toBeUndefined(); // ended at `from`
  });

  it('a whole category changes in bulk by percent', async () => {
    t = openTestCore();
    const cashier = await t.login();
    const mgr = await t.login(PINS.manager);
    await t.ok('prices.set', { categories: ['fruit'], percentOff: 20 }, mgr);
    await t.ok('cart.add', { sku: apples.sku, quantity: 1 }, cashier);
    await t.ok('cart.add', { sku: bananas.sku, quantity: 1 }, cashier);
    const cart = (await t.ok('cart.add', { sku: milk.sku, quantity: 1 }, cashier)).cart;
    expect(cart.lines.map((l) => l.total)).toEqual([1032, 712, milk.price]);
    expect((await t.fail('prices.set', { categories: ['no-such'], percentOff: 10 }, mgr)).details).toMatchObject({
      reason: 'price-empty-category',
    });
  });
});

describe('what a receiving till accepts from a store device', () => {
  it('an sp- rule only in a store price shape: fixed price or at most −90 %, no member conditions', () => {
    const rule = (over: Record<string, unknown>) =>
      priceRuleSchema.parse({
        id: 'sp-1',
        name: 'x',
        origin: 'store',
        window: { from: '2026-11-29T02:00:00.000Z' },
        effect: { type: 'fixed_price', price: 990 },
        ...over,
      });
    expect(isStorePrice(rule({}))).toBe(true);
    expect(isStorePrice(rule({ effect: { type: 'percent', percentOff: 90 } }))).toBe(true);
    expect(isStorePrice(rule({ effect: { type: 'percent', percentOff: 95 } }))).toBe(false);
    expect(isStorePrice(rule({ effect: { type: 'threshold', spend: 100, off: 99 } }))).toBe(false);
    expect(isStorePrice(rule({ members: { levels: ['gold'] } }))).toBe(false);
    expect(isStorePrice(rule({ id: 'promo-1' }))).toBe(false);
    expect(isStorePrice(rule({ origin: 'chain' }))).toBe(false);
    expect(isStorePrice(rule({ window: {} }))).toBe(false);
  });
});

describe('shelf labels (labels.print)', () => {
  it('prints the changed price, unit and member price; the label emulator decodes them', async () => {
    emulator = new LabelPrinterEmulator({ port: 0 });
    await emulator.start();
    printer = new LabelPrinter(createTransport(emulator.uri!), { language: 'tspl' });
    const p = printer;
    const labelPrinter: ShelfLabelPrinter = {
      print: (labels, copies) => p.print(labels.map((l) => shelfLabelJob(l, copies))),
    };
    t = openTestCore({ labelPrinter: () => labelPrinter });
    const mgr = await t.login(PINS.manager);
    const cashier = await t.login();
    const since = t.clock.now.toISOString();
    // A member price for the apples, written the way the sync mirror does.
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    storeRule(
      db,
      priceRuleSchema.parse({
        id: 'gold-apples',
        name: '会员价',
        effect: { type: 'member_price', prices: { gold: 890, silver: 950 } },
        target: { skus: [apples.sku] },
      }),
      new Date(),
    );
    db.close();
    await t.ok('prices.set', { skus: [apples.sku], price: 990 }, mgr);
    await t.ok('prices.set', { skus: [looseApples.sku], price: 999 }, mgr);
    expect((await t.fail('labels.print', { skus: [apples.sku] }, cashier)).code).toBe('FORBIDDEN');
    const out = await t.ok('labels.print', { changedSince: since }, mgr);
    expect(out.printed).toEqual([apples.sku, looseApples.sku].sort());
    await expect.poll(() => emulator!.labels.length, { timeout: 5000 }).toBe(2);
    const texts = emulator.labels.map((l) =>
      l.job.elements.flatMap((e) =>
        e.kind === 'text' ? [e.text] : e.kind === 'barcode' ? [`${e.symbology}:${e.data}`] : [],
      ),
    );
    const byName = (name: string) => texts.find((x) => x[0] === name)!;
    expect(byName(apples.name)).toEqual(
      expect.arrayContaining(['￥9.90', '单位 元/个', '会员价 ￥8.90', expect.stringMatching(/^(EAN13|CODE128):/)]),
    );
    expect(byName(looseApples.name)).toEqual(expect.arrayContaining(['￥9.99', '单位 元/kg']));
    expect(emulator.labels[0]!.png.subarray(1, 4).toString()).toBe('PNG');
    const audit = (await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action);
    expect(audit).toContain('labels.print');
  });

  it('says when no label printer is set up', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    expect(await t.fail('labels.print', { skus: [apples.sku] }, mgr)).toMatchObject({
      code: 'DEVICE_UNAVAILABLE',
      details: { reason: 'no-label-printer' },
    });
  });
});
