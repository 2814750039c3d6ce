// Preset void and no-sale reasons (issue 13 item 15): a manager keeps the store's list in the
// till config; a void names a preset by its code (kept in the audit, so the audit list can say
// it in either language) or gives free text ("other"). A code the store does not list is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { demoProducts } from '../seed';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;

async function cartWithMilk(token: string): Promise<void> {
  await t.ok('cart.scan', { code: milk.ean13! }, token);
}

describe('void reasons', () => {
  it('comes with preset reasons in both languages, at most nine, with distinct codes', async () => {
    t = openTestCore();
    const { config } = await t.ok('config.get', {}, await t.login());
    expect(config.reasons.void.length).toBeGreaterThan(0);
    expect(config.reasons.noSale.length).toBeGreaterThan(0);
    for (const r of [...config.reasons.void, ...config.reasons.noSale]) {
      expect(r.zh).toMatch(/\p{Script=Han}/u);
      expect(r.en).toMatch(/^[A-Z]/);
    }
  });

  it('keeps the preset code of a void in the audit next to its words', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartWithMilk(token);
    await t.ok('cart.void', { reason: '扫错商品', reasonCode: 'scan-error', managerPin: PINS.manager }, token);
    await cartWithMilk(token);
    await t.ok('cart.void', { reason: '顾客换了一家店', managerPin: PINS.manager }, token);
    const { entries } = await t.ok('audit.list', { action: 'cart.void' }, await t.login(PINS.manager));
    expect(entries.map((e) => [e.detail.reasonCode ?? null, e.detail.reason])).toEqual([
      [null, '顾客换了一家店'],
      ['scan-error', '扫错商品'],
    ]);
  });

  it('refuses a code the store does not list, before asking for a manager', async () => {
    t = openTestCore();
    const token = await t.login();
    await cartWithMilk(token);
    const e = await t.fail('cart.void', { reason: 'x', reasonCode: 'made-up' }, token);
    expect(e.code).toBe('BAD_INPUT');
    expect(e.details).toMatchObject({ reason: 'reason-code', code: 'made-up' });
    expect((await t.ok('cart.get', {}, token)).cart.lines).toHaveLength(1);
  });

  it("takes a manager's own list, and refuses a list the keys cannot pick from", async () => {
    t = openTestCore();
    const mgr = await t.login(PINS.manager);
    const own = [{ code: 'spilled', zh: '商品洒了', en: 'Spilled' }];
    await t.ok('config.set', { patch: { reasons: { void: own, noSale: [] } } }, mgr);
    const token = await t.login();
    expect((await t.ok('config.get', {}, token)).config.reasons.void).toEqual(own);
    await cartWithMilk(token);
    expect((await t.fail('cart.void', { reason: 'x', reasonCode: 'scan-error' }, token)).code).toBe('BAD_INPUT');
    await t.ok('cart.void', { reason: '商品洒了', reasonCode: 'spilled', managerPin: PINS.manager }, token);
    const ten = Array.from({ length: 10 }, (_, i) => ({ code: `r${i}`, zh: '原因', en: 'Reason' }));
    const twice = [own[0], own[0]];
    for (const list of [ten, twice, [{ code: 'Bad Code', zh: '原因', en: 'Reason' }]])
      expect((await t.fail('config.set', { patch: { reasons: { void: list, noSale: [] } } }, mgr)).code).toBe(
        'BAD_INPUT',
      );
    // A cashier cannot change the list.
    expect((await t.fail('config.set', { patch: { reasons: { void: [], noSale: [] } } }, token)).code).toBe(
      'FORBIDDEN',
    );
  });
});
