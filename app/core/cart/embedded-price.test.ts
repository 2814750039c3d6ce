// A price inside a barcode (GS1 AI 392x/393x, a Digital Link's 3922 attribute, an in-store 2x
// price label) decides what the customer pays, and a cashier can type any of them into the scan
// box. Property under test: only a variable-measure product (sold by weight) that the catalog
// reaches through the scanned key takes the embedded price; a fixed-price product scanned with a
// price is refused, audited, and nothing is added.
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
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;
const milkGtin = `0${milk.ean13}`;

/** A GTIN-14 with indicator digit 9 (a GS1 variable-measure trade item). */
const bananaVmGtin = (() => {
  const body = '9690000000012';
  return body + gs1CheckDigit(body);
})();

function priceLabel(plu: string, fen: number): string {
  const body = `21${plu}${String(fen).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
}

/** Adds extra catalog keys to demo products, as a back office would. */
function addKeys(dataDir: string, extra: { product: typeof milk; codes: string[] }[]): void {
  const db = openSqlite(join(dataDir, 'terminal.db'));
  upsertProducts(
    db,
    extra.map((e) => ({ ...e.product, barcodes: [...e.product.barcodes, ...e.codes] })),
    new Date('2026-11-29T02:00:00Z'),
  );
  db.close();
}

describe('prices embedded in barcodes', () => {
  it.each([
    ['a typed GS1 element string with AI 3922 = 0', `(01)${milkGtin}(3922)0`],
    ['AI 3922 with a small price', `(01)${milkGtin}(3922)1`],
    ['AI 393x in the store currency (156 = CNY)', `(01)${milkGtin}(3932)1560001`],
    ['a raw element string without brackets', `01${milkGtin}39221`],
    ['a GS1-128 with its AIM identifier', `]C101${milkGtin}39221`],
    ['a GS1 Digital Link with a 3922 attribute', `https://id.gs1.org/01/${milkGtin}?3922=1`],
  ])('refuses %s for a fixed-price product, audits it and adds nothing', async (_what, code) => {
    t = openTestCore();
    const token = await t.login();
    const e = await t.fail('cart.scan', { code }, token);
    expect(e.code).toBe('BARCODE_INVALID');
    expect(e.details).toMatchObject({ reason: 'price-not-allowed', sku: milk.sku });
    expect(e.message).toMatch(/fixed price/);
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
    const mgr = await t.login(PINS.manager);
    const entry = (await t.ok('audit.list', {}, mgr)).entries.find((x) => x.action === 'scan.price_refused');
    expect(entry?.staff?.name).toBe('李娜');
    expect(entry?.detail).toMatchObject({ sku: milk.sku });
    // The product's own barcode still sells it at the catalog price.
    const ok = await t.ok('cart.scan', { code: milk.ean13! }, token);
    expect(ok.cart.lines[0]).toMatchObject({ sku: milk.sku, gross: 1850 });
  });

  it('refuses an in-store 2x price label for a fixed-price product, even when its key is in the catalog', async () => {
    t = openTestCore();
    addKeys(t.dataDir, [{ product: milk, codes: ['2199999'] }]);
    const token = await t.login();
    const e = await t.fail('cart.scan', { code: priceLabel('99999', 1) }, token);
    expect(e.code).toBe('BARCODE_INVALID');
    expect(e.details).toMatchObject({ reason: 'price-not-allowed', sku: milk.sku, price: 1 });
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
  });

  it('takes the embedded price of a weighed product configured for it (2x label, GS1 element string, Digital Link)', async () => {
    t = openTestCore();
    addKeys(t.dataDir, [{ product: bananas, codes: [bananaVmGtin] }]);
    const token = await t.login();
    let r = await t.ok('cart.scan', { code: priceLabel(bananas.plu!, 1599) }, token);
    expect(r.cart.lines.at(-1)).toMatchObject({ sku: bananas.sku, gross: 1599 });
    r = await t.ok('cart.scan', { code: `(01)${bananaVmGtin}(3103)001234(3922)861` }, token);
    expect(r.cart.lines.at(-1)).toMatchObject({ sku: bananas.sku, weightGrams: 1234, gross: 861 });
    r = await t.ok('cart.scan', { code: `https://id.gs1.org/01/${bananaVmGtin}?3922=350` }, token);
    expect(r.cart.lines.at(-1)).toMatchObject({ sku: bananas.sku, gross: 350 });
    expect(r.cart.lines).toHaveLength(3);
  });

  it('refuses a zero price even for a weighed product', async () => {
    t = openTestCore();
    addKeys(t.dataDir, [{ product: bananas, codes: [bananaVmGtin] }]);
    const token = await t.login();
    const e = await t.fail('cart.scan', { code: `(01)${bananaVmGtin}(3103)005000(3922)0` }, token);
    expect(e.code).toBe('BARCODE_INVALID');
    expect(e.details).toMatchObject({ reason: 'bad-price', sku: bananas.sku });
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
  });

  it('refuses a weighed product reached by its scale key when the label is a price label it is not configured for', async () => {
    // Bananas list their weight-label key (20 + PLU) and price-label key (25 + PLU) in the demo;
    // a product with only a weight-label key cannot be sold from a typed price label.
    t = openTestCore();
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    db.prepare('DELETE FROM barcodes WHERE code = ?').run(`21${bananas.plu}`);
    db.close();
    const token = await t.login();
    expect((await t.fail('cart.scan', { code: priceLabel(bananas.plu!, 1) }, token)).code).toBe('PRODUCT_NOT_FOUND');
  });
});
