// Scale labels at the till: the Chinese scales' 18-digit label (amount + weight) is checked
// against the product's price per kg; a label whose amount does not match is refused and audited;
// the store can switch its label layout to a preset (config.set scaleLabels).
import { afterEach, describe, expect, it } from 'vitest';
import { gs1CheckDigit } from '../barcode';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const bananas = demoProducts().find((p) => p.nameEn === 'Loose Bananas')!;
const label18 = (plu: string, amount: number, grams: number) => {
  const body = `26${plu}${String(amount).padStart(5, '0')}${String(grams).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
};
const label13 = (prefix: string, plu: string, value: number) => {
  const body = `${prefix}${plu}${String(value).padStart(5, '0')}`;
  return body + gs1CheckDigit(body);
};

describe('scale labels at the till', () => {
  it('sells an 18-digit label whose amount matches its weight at the price per kg', async () => {
    t = openTestCore();
    const token = await t.login();
    const amount = Math.round((1500 * bananas.price) / 1000);
    const r = await t.ok('cart.scan', { code: label18(bananas.plu!, amount, 1500) }, token);
    expect(r.cart.lines[0]).toMatchObject({ sku: bananas.sku, weightGrams: 1500, gross: amount });
  });

  it('refuses and audits a label whose amount is not its weight at the price per kg', async () => {
    t = openTestCore();
    const token = await t.login();
    const amount = Math.round((1500 * bananas.price) / 1000);
    const e = await t.fail('cart.scan', { code: label18(bananas.plu!, amount - 300, 1500) }, token);
    expect(e.code).toBe('BARCODE_INVALID');
    expect(e.details).toMatchObject({ reason: 'amount-weight-mismatch', sku: bananas.sku, expected: amount });
    expect(e.message).toContain(`¥${(amount / 100).toFixed(2)}`);
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(0);
    const mgr = await t.login(PINS.manager);
    const entry = (await t.ok('audit.list', {}, mgr)).entries.find((x) => x.action === 'scan.label_mismatch');
    expect(entry?.detail).toMatchObject({ sku: bananas.sku, price: amount - 300, expected: amount });
  });

  it('a tolerance set for scales that round to the jiao lets their labels through', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    await t.ok('config.set', { patch: { scaleLabels: { preset: 'cn-scale', amountToleranceFen: 5 } } }, mgr);
    const token = await t.login();
    const amount = Math.round((1500 * bananas.price) / 1000);
    const r = await t.ok('cart.scan', { code: label18(bananas.plu!, amount - 4, 1500) }, token);
    expect(r.cart.lines[0]).toMatchObject({ gross: amount - 4 });
  });

  it('reads 2x labels as weight under the GS1/European preset, as amount under the default', async () => {
    t = openTestCore();
    const token = await t.login();
    const asAmount = await t.ok('cart.scan', { code: label13('21', bananas.plu!, 1234) }, token);
    expect(asAmount.cart.lines[0]).toMatchObject({ gross: 1234 });
    const mgr = await t.login(PINS.manager);
    expect(
      (await t.fail('config.set', { patch: { scaleLabels: { preset: 'custom', amountToleranceFen: 1 } } }, mgr)).code,
    ).toBe('BAD_INPUT');
    await t.ok('config.set', { patch: { scaleLabels: { preset: 'gs1-europe', amountToleranceFen: 1 } } }, mgr);
    const asWeight = await t.ok('cart.scan', { code: label13('21', bananas.plu!, 1234) }, token);
    expect(asWeight.cart.lines[1]).toMatchObject({
      weightGrams: 1234,
      gross: Math.round((1234 * bananas.price) / 1000),
    });
  });
});
