import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gs1CheckDigit } from '../barcode';
import { upsertProducts } from '../catalog';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;

/** An 18-digit scale label: '26' + PLU + amount (fen at 698 fen/kg) + grams + mod-10 check. */
function weightLabel(plu: string, grams: number): string {
  const amount = Math.round((grams * 698) / 1000);
  const body = `26${plu}${String(amount).padStart(5, '0')}${String(grams).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
}
function priceLabel(plu: string, fen: number): string {
  const body = `21${plu}${String(fen).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
}

describe('cart', () => {
  it('scans an EAN-13, merges repeat scans, and emits cart.changed', async () => {
    t = openTestCore();
    const token = await t.login();
    const a = await t.ok('cart.scan', { code: milk.ean13! }, token);
    expect(a.parsed).toMatchObject({ kind: 'gtin', gtin: `0${milk.ean13}` });
    expect(a.cart.lines).toHaveLength(1);
    const b = await t.ok('cart.scan', { code: `${milk.ean13}\r\n` }, token);
    expect(b.lineId).toBe(a.lineId);
    expect(b.cart.lines[0]).toMatchObject({
      sku: milk.sku,
      quantity: 2,
      unitPrice: 1850,
      gross: 3700,
      total: 3700,
      name: '有机牛奶 1L',
      nameEn: 'Organic Milk 1L',
    });
    expect(b.cart).toMatchObject({ itemCount: 2, subtotal: 3700, total: 3700, currency: 'CNY' });
    expect(t.events.filter((e) => e.type === 'cart.changed')).toHaveLength(2);
  });

  it('refuses an invalid barcode and an unknown product, adding nothing', async () => {
    t = openTestCore();
    const token = await t.login();
    const bad = milk.ean13!.slice(0, 12) + String((Number(milk.ean13!.at(-1)) + 1) % 10);
    const e1 = await t.fail('cart.scan', { code: bad }, token);
    expect(e1.code).toBe('BARCODE_INVALID');
    expect(e1).toMatchObject({ details: { reason: 'check-digit' } });
    expect(e1.message).toMatch(/check digit/);
    expect((await t.fail('cart.scan', { code: 'hello' }, token)).code).toBe('BARCODE_INVALID');
    const unknown = '690000000001' + gs1CheckDigit('690000000001');
    expect((await t.fail('cart.scan', { code: unknown }, token)).code).toBe('PRODUCT_NOT_FOUND');
    expect((await t.fail('cart.add', { sku: 'NOPE' }, token)).code).toBe('PRODUCT_NOT_FOUND');
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
  });

  it('prices a weighed item from a scale label (fen/kg x grams, half up)', async () => {
    t = openTestCore();
    const token = await t.login();
    const r = await t.ok('cart.scan', { code: weightLabel(bananas.plu!, 1234) }, token);
    expect(r.parsed).toMatchObject({ kind: 'variable-measure', weightGrams: 1234 });
    // 698 fen/kg * 1.234 kg = 861.332 -> 861
    expect(r.cart.lines[0]).toMatchObject({
      sku: bananas.sku,
      unit: 'weighed',
      quantity: 1,
      weightGrams: 1234,
      unitPrice: 698,
      gross: 861,
    });
    const again = await t.ok('cart.scan', { code: weightLabel(bananas.plu!, 500) }, token);
    expect(again.cart.lines).toHaveLength(2);
  });

  it('takes the printed price of a price label', async () => {
    t = openTestCore();
    const token = await t.login();
    const r = await t.ok('cart.scan', { code: priceLabel(bananas.plu!, 1599) }, token);
    expect(r.cart.lines[0]).toMatchObject({ gross: 1599, unit: 'weighed' });
    expect(r.cart.lines[0]!.weightGrams).toBe(Math.round((1599 * 1000) / 698));
  });

  it('asks for a weight when a weighed item comes without one', async () => {
    t = openTestCore();
    const token = await t.login();
    const e = await t.fail('cart.add', { sku: bananas.sku }, token);
    expect(e.code).toBe('WEIGHT_REQUIRED');
    expect(e.details).toMatchObject({ sku: bananas.sku });
    const r = await t.ok('cart.add', { sku: bananas.sku, weightGrams: 2000 }, token);
    expect(r.cart.lines[0]).toMatchObject({ weightGrams: 2000, gross: 1396 });
  });

  it('answers WEIGHT_REQUIRED when a weighed product is scanned by a plain GTIN, adding nothing', async () => {
    t = openTestCore();
    const token = await t.login();
    const shelfEan = '690000000009' + gs1CheckDigit('690000000009');
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    upsertProducts(
      db,
      [{ ...bananas, barcodes: [...bananas.barcodes, `0${shelfEan}`] }],
      new Date('2026-11-29T02:00:00Z'),
    );
    db.close();
    const e = await t.fail('cart.scan', { code: shelfEan }, token);
    expect(e.code).toBe('WEIGHT_REQUIRED');
    expect(e.details).toMatchObject({ sku: bananas.sku, pricePerKg: 698 });
    expect(e.message).toContain('weigh');
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
  });

  it('sets quantity and weight from the numpad and removes lines', async () => {
    t = openTestCore();
    const token = await t.login();
    const { lineId } = await t.ok('cart.add', { sku: cola.sku }, token);
    const w = await t.ok('cart.add', { sku: bananas.sku, weightGrams: 1000 }, token);
    let cart = (await t.ok('cart.setQuantity', { lineId, quantity: 6 }, token)).cart;
    expect(cart.lines[0]).toMatchObject({ quantity: 6, gross: 2100 });
    cart = (await t.ok('cart.setQuantity', { lineId: w.lineId, weightGrams: 500 }, token)).cart;
    expect(cart.lines[1]).toMatchObject({ weightGrams: 500, gross: 349 });
    expect((await t.fail('cart.setQuantity', { lineId: w.lineId, quantity: 2 }, token)).code).toBe('WEIGHT_REQUIRED');
    expect((await t.fail('cart.setQuantity', { lineId: 'nope', quantity: 2 }, token)).code).toBe('LINE_NOT_FOUND');
    cart = (await t.ok('cart.remove', { lineId }, token)).cart;
    expect(cart.lines.map((l) => l.sku)).toEqual([bananas.sku]);
    expect((await t.fail('cart.remove', { lineId }, token)).code).toBe('LINE_NOT_FOUND');
  });

  it('applies line discounts within the cashier limit and needs a manager PIN above it', async () => {
    t = openTestCore();
    const token = await t.login();
    const { lineId } = await t.ok('cart.add', { sku: milk.sku, quantity: 2 }, token);
    let cart = (await t.ok('cart.lineDiscount', { lineId, kind: 'percent', value: 10 }, token)).cart;
    expect(cart.lines[0]).toMatchObject({ gross: 3700, discount: 370, total: 3330 });
    expect((await t.fail('cart.lineDiscount', { lineId, kind: 'percent', value: 20 }, token)).code).toBe(
      'MANAGER_REQUIRED',
    );
    expect((await t.fail('cart.lineDiscount', { lineId, kind: 'amount', value: 500 }, token)).code).toBe(
      'MANAGER_REQUIRED',
    );
    expect(
      (await t.fail('cart.lineDiscount', { lineId, kind: 'percent', value: 20, managerPin: PINS.cashier2 }, token))
        .code,
    ).toBe('WRONG_PIN');
    cart = (await t.ok('cart.lineDiscount', { lineId, kind: 'percent', value: 20, managerPin: PINS.manager }, token))
      .cart;
    expect(cart.lines[0]).toMatchObject({ discount: 740, total: 2960 });
    expect(cart).toMatchObject({ subtotal: 3700, discount: 740, total: 2960 });
    expect((await t.fail('cart.lineDiscount', { lineId, kind: 'amount', value: 3701 }, token)).code).toBe('BAD_INPUT');
    expect(
      (await t.fail('cart.lineDiscount', { lineId, kind: 'percent', value: 101, managerPin: PINS.manager }, token))
        .code,
    ).toBe('BAD_INPUT');
    const mgr = await t.login(PINS.manager);
    const { entries } = await t.ok('audit.list', {}, mgr);
    const ov = entries.find((e) => e.action === 'discount.override')!;
    expect(ov.staff?.name).toBe('李娜');
    expect(ov.approvedBy?.name).toBe('张敏');
    // A manager's own session approves itself.
    cart = (await t.ok('cart.lineDiscount', { lineId, kind: 'amount', value: 0 }, mgr)).cart;
    expect(cart.lines[0]!.discount).toBe(0);
    cart = (await t.ok('cart.lineDiscount', { lineId, kind: 'percent', value: 50 }, mgr)).cart;
    expect(cart.lines[0]!.discount).toBe(1850);
  });

  it('parks and recalls carts, persisted across a restart', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: milk.sku }, token);
    const { parkedId, cart } = await t.ok('cart.park', { label: '穿红衣服的阿姨' }, token);
    expect(cart.lines).toHaveLength(0);
    await t.ok('cart.add', { sku: cola.sku, quantity: 3 }, token);
    expect((await t.fail('cart.recall', { parkedId }, token)).code).toBe('CONFLICT');
    await t.ok('cart.park', {}, token);
    t.reopen();
    const { carts } = await t.ok('cart.parked', {}, token);
    expect(carts.map((c) => [c.label, c.total])).toEqual([
      ['穿红衣服的阿姨', 1850],
      ['#2', 1050],
    ]);
    const recalled = (await t.ok('cart.recall', { parkedId }, token)).cart;
    expect(recalled.lines.map((l) => l.sku)).toEqual([milk.sku]);
    expect((await t.ok('cart.parked', {}, token)).carts).toHaveLength(1);
    expect((await t.fail('cart.recall', { parkedId }, token)).code).toBe('CONFLICT');
    await t.ok('cart.remove', { lineId: recalled.lines[0]!.lineId }, token);
    expect((await t.fail('cart.park', {}, token)).code).toBe('CART_EMPTY');
  });

  it('voids a cart with a reason: a cashier needs a manager PIN; audited', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: milk.sku }, token);
    expect((await t.fail('cart.void', { reason: '顾客不要了' }, token)).code).toBe('MANAGER_REQUIRED');
    expect((await t.fail('cart.void', { reason: ' ' }, token)).code).toBe('BAD_INPUT');
    const cart = (await t.ok('cart.void', { reason: '顾客不要了', managerPin: PINS.manager }, token)).cart;
    expect(cart.lines).toHaveLength(0);
    expect((await t.fail('cart.void', { reason: 'again', managerPin: PINS.manager }, token)).code).toBe('CART_EMPTY');
    const mgr = await t.login(PINS.manager);
    const entry = (await t.ok('audit.list', {}, mgr)).entries.find((e) => e.action === 'cart.void')!;
    expect(entry.detail).toMatchObject({ reason: '顾客不要了', total: 1850 });
    expect(entry.approvedBy?.role).toBe('manager');
  });

  it('keeps the open cart on disk across a restart', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: cola.sku, quantity: 2 }, token);
    const before = (await t.ok('cart.get', {}, token)).cart;
    t.reopen();
    expect((await t.ok('cart.get', {}, token)).cart).toEqual(before);
  });
});
