import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

describe('till config', () => {
  it('lets a manager or technician patch settings, validated, persisted and audited', async () => {
    t = openTestCore();
    const tech = await t.login(PINS.technician);
    const { config } = await t.ok(
      'config.set',
      {
        patch: {
          receiptWidth: 80,
          lang: 'en',
          wecomQrUrl: 'https://work.weixin.qq.com/ca/x',
          maxCashierDiscountPercent: 5,
        },
      },
      tech,
    );
    expect(config).toMatchObject({
      receiptWidth: 80,
      lang: 'en',
      maxCashierDiscountPercent: 5,
      storeId: 'demo-store',
      terminalId: 'T01',
    });
    t.reopen();
    expect((await t.ok('config.get', {}, tech)).config.receiptWidth).toBe(80);
    const mgr = await t.login(PINS.manager);
    const entry = (await t.ok('audit.list', {}, mgr)).entries.find((e) => e.action === 'config.change')!;
    expect(entry.staff?.name).toBe('陈工');
    expect((entry.detail as { changed: string[] }).changed.sort()).toEqual([
      'lang',
      'maxCashierDiscountPercent',
      'receiptWidth',
      'wecomQrUrl',
    ]);
  });

  it('refuses unknown keys, bad values and identity changes, changing nothing', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    for (const patch of [
      { storeId: 'other' },
      { receiptWidth: 70 },
      { cashRounding: { mode: 'up', unit: 10 } },
      { maxCashierDiscountPercent: 150 },
      { wecomQrUrl: 'not a url' },
      { colour: 'red' },
    ]) {
      const e = await t.fail('config.set', { patch }, mgr);
      expect(e.code, JSON.stringify(patch)).toBe('BAD_INPUT');
    }
    expect((await t.ok('config.get', {}, mgr)).config).toMatchObject({
      storeId: 'demo-store',
      receiptWidth: 58,
      cashRounding: { mode: 'none' },
      maxCashierDiscountPercent: 10,
      wecomQrUrl: null,
    });
  });

  it('prints receipts with the configured width and language', async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    await t.ok('config.set', { patch: { receiptWidth: 80, lang: 'en' } }, mgr);
    await t.ok('cart.add', { sku: '100401' }, mgr);
    const r = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 2000 }] }, mgr);
    expect(r.receipt.width).toBe(80);
    expect(r.receipt.text).toContain('Organic Milk 1L');
    expect(Math.max(...r.receipt.text.split('\n').map((l) => l.length))).toBeGreaterThan(32);
  });
});
