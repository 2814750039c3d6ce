// Store settings (settings.get / settings.set) on real SQLite replicas: a manager's change on T01
// reaches T02 when T02 applies T01's ops (as a pull through the hub or the cloud would), is
// validated and audited, and a store device may author only the store-setting fields of the
// store-wide config.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, opRefusal } from '../../../sync/core';
import { openTestCore, PINS, type TestCore } from '../test-support';

const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(terminalId: string): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId,
    sync: { cloudUrl: 'http://127.0.0.1:9', enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 },
  });
  opened.push(t);
  return t;
}

describe('store settings', () => {
  it("a manager's settings on one till reach the store's other till; validated, audited, cashiers refused", async () => {
    const t1 = till('T01');
    const t2 = till('T02');
    const m1 = await t1.login(PINS.manager);
    const before = (await t1.ok('settings.get', {}, m1)).settings;
    expect(before.maxCashierDiscountPercent).toBe(10);

    const reasons = {
      void: [{ code: 'customer-left', zh: '顾客离开', en: 'Customer left' }],
      noSale: [{ code: 'give-change', zh: '兑换零钱', en: 'Change for a customer' }],
    };
    const r = await t1.ok(
      'settings.set',
      {
        patch: {
          maxCashierDiscountPercent: 5,
          cashRounding: { mode: 'down', unit: 10 },
          timeZone: 'Asia/Urumqi',
          reasons,
          receiptWidth: 58, // unchanged: not replicated, not listed as changed
        },
      },
      m1,
    );
    expect(r.changed.sort()).toEqual(['cashRounding', 'maxCashierDiscountPercent', 'reasons', 'timeZone']);
    expect((await t1.ok('config.get', {}, m1)).config.maxCashierDiscountPercent).toBe(5);

    // Refusals: a cashier, a field that is not a store setting, a bad value. Nothing changes.
    const c1 = await t1.login(PINS.cashier);
    expect((await t1.fail('settings.set', { patch: { receiptWidth: 80 } }, c1)).code).toBe('FORBIDDEN');
    const notSetting = await t1.fail('settings.set', { patch: { storeName: 'X', receiptWidth: 80 } }, m1);
    expect(notSetting.code).toBe('BAD_INPUT');
    expect(notSetting.details).toMatchObject({ reason: 'not-a-store-setting', fields: 'storeName' });
    expect((await t1.fail('settings.set', { patch: { timeZone: 'Mars/Olympus' } }, m1)).code).toBe('BAD_INPUT');
    expect((await t1.fail('settings.set', { patch: { maxCashierDiscountPercent: 101 } }, m1)).code).toBe('BAD_INPUT');
    expect((await t1.ok('settings.get', {}, m1)).settings.receiptWidth).toBe(58);

    const audit = (await t1.ok('audit.list', { action: 'settings' }, m1)).entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'settings.change', staff: { role: 'manager' } });

    // T02 applies T01's ops (what a pull does): the settings are T02's too.
    const ops = await t1.core.sync!.outbox.storage.allOps('store:S001');
    await t2.core.sync!.outbox.storage.apply(ops, 'hub');
    const m2 = await t2.login(PINS.manager);
    const s2 = (await t2.ok('settings.get', {}, m2)).settings;
    expect(s2).toMatchObject({
      maxCashierDiscountPercent: 5,
      cashRounding: { mode: 'down', unit: 10 },
      timeZone: 'Asia/Urumqi',
      reasons,
    });
    // A later change on T02 wins on T01 (last writer per field).
    t2.clock.advance(60_000);
    await t2.ok('settings.set', { patch: { maxCashierDiscountPercent: 8 } }, m2);
    await t1.core.sync!.outbox.storage.apply(await t2.core.sync!.outbox.storage.allOps('store:S001'), 'hub');
    expect((await t1.ok('settings.get', {}, m1)).settings.maxCashierDiscountPercent).toBe(8);
  });

  it('a store device may write store settings in the store-wide config, nothing else there', () => {
    const till = new OpFactory(new HybridClock({ nodeId: 'S001_T01', now: () => 1 }));
    const tech = new OpFactory(new HybridClock({ nodeId: 'TECH_S001', now: () => 1 }));
    expect(opRefusal(till.set('store:S001', 'config', 'S001', 'maxCashierDiscountPercent', 5))).toBeNull();
    expect(opRefusal(till.set('store:S001', 'config', 'S001', 'storeName', 'Mine'))).toMatchObject({
      code: 'AUTHOR_FORBIDDEN',
    });
    expect(opRefusal(till.set('store:S001', 'config', 'S002', 'timeZone', 'UTC'))).not.toBeNull();
    expect(opRefusal(tech.set('store:S001', 'config', 'S001', 'storeName', 'Mine'))).toBeNull();
  });
});
