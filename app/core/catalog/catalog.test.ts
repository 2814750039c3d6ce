import { afterEach, describe, expect, it } from 'vitest';
import { toGtin14 } from '../barcode';
import { join } from 'node:path';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { upsertProducts } from './index';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('catalog', () => {
  it('gets a product with its normalised barcodes, price in fen and unit', async () => {
    t = openTestCore();
    const token = await t.login(PINS.technician);
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    const { product } = await t.ok('catalog.get', { sku: milk.sku }, token);
    expect(product).toEqual({
      sku: milk.sku,
      name: '有机牛奶 1L',
      nameEn: 'Organic Milk 1L',
      barcodes: [toGtin14(milk.ean13!)],
      price: 1850,
      currency: 'CNY',
      unit: 'each',
      taxClass: 'food-9',
      category: 'dairy',
      active: true,
    });
    expect((await t.fail('catalog.get', { sku: 'missing' }, token)).code).toBe('PRODUCT_NOT_FOUND');
  });

  it('searches by Chinese, pinyin, initials, English, SKU and barcode', async () => {
    t = openTestCore();
    const token = await t.login();
    const first = async (query: string) =>
      (await t.ok('catalog.search', { query, limit: 5 }, token)).products.map((p) => p.nameEn);
    expect(await first('有机牛奶')).toContain('Organic Milk 1L');
    expect(await first('youjiniunai')).toContain('Organic Milk 1L');
    expect(await first('yjnn')).toContain('Organic Milk 1L');
    expect(await first('organic milk')).toContain('Organic Milk 1L');
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    expect(await first(milk.sku)).toContain('Organic Milk 1L');
    expect(await first(milk.ean13!)).toContain('Organic Milk 1L');
    expect(await first('zzzzzzzz')).toEqual([]);
  });

  it('stops selling an inactive product: scan and add refuse it, search drops it after catalogChanged()', async () => {
    t = openTestCore();
    const token = await t.login();
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    expect((await t.ok('catalog.search', { query: 'organic milk' }, token)).products.map((p) => p.sku)).toContain(
      milk.sku,
    );
    // Another writer (e.g. catalog sync) deactivates it on the same file.
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    upsertProducts(db, [{ ...milk, active: false }], new Date('2026-11-29T02:00:00Z'));
    db.close();
    t.core.catalogChanged();
    expect((await t.fail('cart.scan', { code: milk.ean13! }, token)).code).toBe('PRODUCT_NOT_FOUND');
    expect((await t.fail('cart.add', { sku: milk.sku }, token)).code).toBe('PRODUCT_NOT_FOUND');
    expect((await t.ok('catalog.search', { query: 'organic milk' }, token)).products.map((p) => p.sku)).not.toContain(
      milk.sku,
    );
    expect((await t.ok('catalog.get', { sku: milk.sku }, token)).product.active).toBe(false);
  });
});
