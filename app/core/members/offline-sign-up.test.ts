// A member signed up at a till while sync was off reaches the store's other tills once sync
// starts: the sign-up's ops (phone, name, consent) and the points of the member's offline sale are
// kept whole on the till and queued with their own stamps, like the sales and ledger rows written
// offline; the offline sale's fact carries the member, so the other till shows the visit. A
// restart does not send them twice, and nothing is kept once sync is on.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../db';
import { demoProducts } from '../seed';
import { openTestCore, type TestCore } from '../test-support';
import { offlineMemberOps } from './index';

const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!; // ¥18.50
const consent = { marketing: true, channel: 'till', textVersion: 'v1' };
const NOWHERE = 'http://127.0.0.1:9';
const PHONE = '13812340000';
const syncOpts = { sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 } };

const opened: TestCore[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

function till(terminalId: string, sync: boolean): TestCore {
  const t = openTestCore({ storeId: 'S001', terminalId, ...(sync ? syncOpts : {}) });
  opened.push(t);
  return t;
}

function keptOps(t: TestCore): number {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    return offlineMemberOps(db).length;
  } finally {
    db.close();
  }
}

describe('members signed up while sync was off', () => {
  it('are back-filled when sync starts: another till finds them by phone, with the points and the visit', async () => {
    const a = till('T01', false);
    const ta = await a.login();
    const m = (await a.ok('members.signUp', { phone: PHONE, name: '陈小红', consent }, ta)).member;
    await a.ok('cart.add', { sku: milk.sku, quantity: 2 }, ta);
    await a.ok('cart.setMember', { memberId: m.id }, ta);
    const paid = await a.ok('cart.pay', { tenders: [{ type: 'cash', amount: 5000 }] }, ta);
    const state = (await a.ok('sales.get', { id: paid.saleId }, ta)).sale.wecomState;
    expect(state).toMatch(/^w1/);
    expect(keptOps(a)).toBeGreaterThan(0);

    a.reopen(syncOpts);
    expect(keptOps(a)).toBe(0); // in the outbox now
    const b = till('T02', true);
    const tb = await b.login();
    // Before the exchange T02 does not know the member.
    expect((await b.fail('members.identify', { phone: PHONE }, tb)).code).toBe('MEMBER_LOOKUP_OFFLINE');
    const held = await a.core.sync!.outbox.storage.allOps('store:S001');
    // The sale's fact names the member and the WeCom state its receipt printed (the cloud links by it).
    expect(held.find((o) => o.t === 'fact' && o.e === 'sale' && o.k === paid.saleId)?.b).toMatchObject({
      memberId: m.id,
      pointsEarned: 37,
      wecomState: state,
    });
    await b.core.sync!.outbox.storage.apply(held, 'hub');
    const found = (await b.ok('members.identify', { phone: PHONE }, tb)).member;
    expect(found).toMatchObject({ id: m.id, maskedName: '陈**', maskedPhone: '138****0000', points: 37 });
    expect(found.visits.map((v: { saleId: string }) => v.saleId)).toEqual([paid.saleId]);

    // A restart appends nothing again; a member signed up with sync on is not kept aside.
    a.reopen(syncOpts);
    expect((await a.core.sync!.outbox.storage.allOps('store:S001')).length).toBe(held.length);
    await a.ok('members.signUp', { phone: '13812340001', consent }, await a.login());
    expect(keptOps(a)).toBe(0);
  });
});
