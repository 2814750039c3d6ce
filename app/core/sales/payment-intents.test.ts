import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqlite } from '../db';
import type { PaymentCodeProvider } from '../payment';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const WECHAT = '134567890123456789';

function intents(t: TestCore) {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    return db
      .prepare('SELECT sale_id, wallet, amount, status, transaction_id FROM payment_intents ORDER BY created_at')
      .all() as { sale_id: string; status: string; amount: number; transaction_id: string | null }[];
  } finally {
    db.close();
  }
}

describe('payment-code journal', () => {
  it('journals charges: captured with the sale, reversed when a later tender is declined', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401', quantity: 2 }, token);
    await t.fail(
      'cart.pay',
      {
        tenders: [
          { type: 'payment_code', amount: 1000, code: WECHAT },
          { type: 'payment_code', amount: 2700, code: '284567890123450000' },
        ],
      },
      token,
    );
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 3700, code: WECHAT }] }, token);
    const rows = intents(t);
    expect(rows.map((r) => r.status)).toEqual(['reversed', 'declined', 'captured']);
    expect(rows[2]).toMatchObject({ sale_id: paid.saleId, amount: 3700 });
    expect(JSON.stringify(rows)).not.toContain(WECHAT);
  });

  it('after a crash between charge and commit, reverses the orphaned charge and queries the unknown one at the next start', async () => {
    t = openTestCore();
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    // Simulate the crash: the charge is approved and journalled, the sale never commits.
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    const at = '2026-11-29T02:00:00.000Z';
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, wallet, amount, status, out_trade_no, transaction_id, created_at, updated_at) VALUES ('i1', 'lost-sale', 'wechat', 1850, 'approved', 'o1', 'SBX-WX-lost', ?, ?)",
    ).run(at, at);
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, wallet, amount, status, out_trade_no, transaction_id, created_at, updated_at) VALUES ('i2', 'lost-sale-2', 'alipay', 500, 'charging', 'o2', NULL, ?, ?)",
    ).run(at, at);
    db.close();
    // The gateway cannot be queried: the charging one stays unknown (and is flagged); the approved one is reversed.
    const sandbox = t.provider;
    const noQuery: PaymentCodeProvider = {
      name: 'sandbox',
      charge: (r) => sandbox.charge(r),
      refund: (r) => sandbox.refund(r),
      reverse: (r) => sandbox.reverse(r),
      query: async () => {
        throw new Error('connect ETIMEDOUT');
      },
    };
    t.reopen({ paymentProvider: noQuery });
    await t.core.ready;
    expect(t.provider.reversals).toEqual([{ outTradeNo: 'o1', wallet: 'wechat' }]);
    expect(intents(t).map((r) => [r.sale_id, r.status])).toEqual([
      ['lost-sale', 'reversed'],
      ['lost-sale-2', 'unknown'],
    ]);
    const mgr = await t.login(PINS.manager);
    const actions = (await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action);
    expect(actions).toContain('payment.reversed');
    expect(actions).toContain('payment.unknown');
    // The cart is untouched and can still be paid.
    expect((await t.ok('cart.get', {}, token)).cart.total).toBe(1850);
    // Next start, the gateway answers: the unknown order is queried (not only flagged) and closed.
    t.reopen();
    await t.core.ready;
    expect(t.provider.reversals).toEqual([
      { outTradeNo: 'o1', wallet: 'wechat' },
      { outTradeNo: 'o2', wallet: 'alipay' },
    ]);
    expect(intents(t).map((r) => [r.sale_id, r.status])).toEqual([
      ['lost-sale', 'reversed'],
      ['lost-sale-2', 'declined'],
    ]);
  });

  it('owes a reversal when it fails, and retries it at the next start', async () => {
    t = openTestCore();
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    const at = '2026-11-29T02:00:00.000Z';
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, wallet, amount, status, out_trade_no, transaction_id, created_at, updated_at) VALUES ('i1', 's', 'wechat', 100, 'approved', 'o1', 'X', ?, ?)",
    ).run(at, at);
    db.close();
    const failing: PaymentCodeProvider = {
      name: 'sandbox',
      charge: async () => ({ status: 'approved', transactionId: 'x' }),
      query: async () => ({ status: 'paid', transactionId: 'X' }),
      reverse: async () => {
        throw new Error('gateway unreachable');
      },
      refund: async () => {
        throw new Error('gateway unreachable');
      },
    };
    t.reopen({ paymentProvider: failing });
    await t.core.ready;
    // Owed: 'reversing', listed for the manager, retried at the next start or sweep.
    expect(intents(t)[0]!.status).toBe('reversing');
    t.reopen();
    await t.core.ready;
    expect(intents(t)[0]!.status).toBe('reversed');
  });
});
