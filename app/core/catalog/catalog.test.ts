import { afterEach, describe, expect, it } from 'vitest';
import { toGtin14 } from '../barcode';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('catalog', () => {
  it('gets a product with its normalised barcodes, price in fen and unit', async () => {
    t = openTestCore();
    const token = await t.login(PINS.technician);
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    const { product } = await t.ok('catalog.get', { sku: milk.sku }, token);
    expect(product).toEqual({ sku: milk.sku, name: '有机牛奶 1L', nameEn: 'Organic Milk 1L', barcodes: [toGtin14(milk.ean13!)], price: 1850, currency: 'CNY', unit: 'each', taxClass: 'food-9', category: 'dairy', active: true });
    expect((await t.fail('catalog.get', { sku: 'missing' }, token)).code).toBe('PRODUCT_NOT_FOUND');
  });

  it('searches by Chinese, pinyin, initials, English, SKU and barcode', async () => {
    t = openTestCore();
    const token = await t.login();
    const first = async (query: string) => (await t.ok('catalog.search', { query, limit: 5 }, token)).products.map((p) => p.nameEn);
    expect(await first('有机牛奶')).toContain('Organic Milk 1L');
    expect(await first('youjiniunai')).toContain('Organic Milk 1L');
    expect(await first('yjnn')).toContain('Organic Milk 1L');
    expect(await first('organic milk')).toContain('Organic Milk 1L');
    const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
    expect(await first(milk.sku)).toContain('Organic Milk 1L');
    expect(await first(milk.ean13!)).toContain('Organic Milk 1L');
    expect(await first('zzzzzzzz')).toEqual([]);
  });
});
