// Security #10 item 2 / issue #12: a payment-code charge whose answer is lost must never lead
// to a second charge. The gateway here is a double that keeps real money state per order: it
// charges, and can then "lose" the answer, refuse queries, or refuse reversals.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSqlite } from '../db';
import type { PaymentCodeProvider } from '../payment';
import { openTestCore, PINS, type TestCore } from '../test-support';

let t: TestCore;
afterEach(() => t?.cleanup());

const WECHAT = '134567890123456789';
const FAST = { pollMs: 10, deadlineMs: 250, offlineMs: 5_000, sweepMs: 3_600_000 };

interface Order {
  paid: boolean;
  reversed: boolean;
  amount: number;
  transactionId: string;
}

/** A gateway whose network can fail in the ways the issue lists. */
class LossyGateway implements PaymentCodeProvider {
  readonly name = 'sandbox';
  orders = new Map<string, Order>();
  chargeCalls = 0;
  loseNextAnswers = 0;
  queriesDown = false;
  reversalsDown = false;
  refunds = 0;
  async charge(req: { amount: number; outTradeNo?: string; saleId: string }) {
    this.chargeCalls++;
    const key = req.outTradeNo ?? `${req.saleId}-${this.chargeCalls}`;
    let o = this.orders.get(key);
    if (!o) {
      o = { paid: true, reversed: false, amount: req.amount, transactionId: `TX-${this.orders.size + 1}` };
      this.orders.set(key, o);
    }
    if (this.loseNextAnswers > 0) {
      this.loseNextAnswers--;
      throw new Error('socket hang up (answer lost after the charge)');
    }
    return {
      status: o.paid && !o.reversed ? ('approved' as const) : ('declined' as const),
      transactionId: o.transactionId,
    };
  }
  async query(req: { outTradeNo: string }) {
    if (this.queriesDown) throw new Error('connect ETIMEDOUT');
    const o = this.orders.get(req.outTradeNo);
    return o && o.paid && !o.reversed
      ? { status: 'paid' as const, transactionId: o.transactionId, amount: o.amount }
      : { status: 'not_paid' as const, transactionId: null };
  }
  async reverse(req: { outTradeNo: string }) {
    if (this.reversalsDown) throw new Error('connect ETIMEDOUT');
    const o = this.orders.get(req.outTradeNo);
    if (o) o.reversed = true;
    return { status: 'reversed' as const };
  }
  async refund(req: { transactionId: string }) {
    this.refunds++;
    for (const o of this.orders.values()) if (o.transactionId === req.transactionId) o.reversed = true;
    return { status: 'approved' as const, transactionId: `R-${req.transactionId}` };
  }
  /** Orders whose money the merchant keeps. */
  kept(): Order[] {
    return [...this.orders.values()].filter((o) => o.paid && !o.reversed);
  }
}

function sales(t: TestCore) {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    return db
      .prepare(
        "SELECT s.id, t.reference FROM sales s JOIN sale_tenders t ON t.sale_id = s.id WHERE t.type = 'payment_code'",
      )
      .all() as { id: string; reference: string }[];
  } finally {
    db.close();
  }
}

describe('payment codes cannot charge twice (#10 item 2)', () => {
  it('a gateway that charges and then times out leads to one charge, kept by one sale', async () => {
    const gw = new LossyGateway();
    t = openTestCore({ paymentProvider: gw, paymentTiming: FAST });
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    gw.loseNextAnswers = 1;
    // The cashier does what the till says; the old till said "try again" and charged anew.
    let r = await t.core.call(
      'cart.pay',
      { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] },
      { token },
    );
    for (let i = 0; i < 3 && !r.ok; i++)
      r = await t.core.call('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] }, { token });
    expect(gw.kept()).toHaveLength(1);
    expect(r.ok).toBe(true);
    expect(sales(t)).toEqual([{ id: expect.any(String), reference: gw.kept()[0]!.transactionId }]);
    expect(gw.chargeCalls).toBe(1);
  });

  it('while the outcome cannot be learnt, no second charge; the reversal is owed and settled when the gateway answers', async () => {
    const gw = new LossyGateway();
    t = openTestCore({ paymentProvider: gw, paymentTiming: FAST });
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    gw.loseNextAnswers = 1;
    gw.queriesDown = true;
    gw.reversalsDown = true;
    const first = await t.fail('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] }, token);
    expect(first.code).toBe('PAYMENT_UNKNOWN');
    expect(first.message).not.toMatch(/重试|try again/i);
    expect(t.events.some((e) => e.type === 'payment.pending')).toBe(true);
    // A second payment code on this cart is refused while the first may still hold money.
    const again = await t.fail('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] }, token);
    expect(again.code).toBe('PAYMENT_UNKNOWN');
    expect(gw.chargeCalls).toBe(1);
    const mgr = await t.login(PINS.manager);
    const queue = (await t.ok('payment.queue', {}, mgr)).payments;
    expect(queue).toEqual([expect.objectContaining({ status: 'reversing', amount: 1850, wallet: 'wechat' })]);
    expect(queue[0]!.outTradeNo).toMatch(/^[0-9a-f]{32}$/);
    expect((await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action)).toContain('payment.reverse_failed');
    // Cash is allowed (the customer must be able to leave); the owed reversal returns the money.
    const cash = await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 2000 }] }, token);
    expect(cash.change).toBe(150);
    gw.queriesDown = false;
    gw.reversalsDown = false;
    t.reopen({ paymentProvider: gw, paymentTiming: FAST });
    await t.core.ready;
    expect(gw.kept()).toHaveLength(0);
    expect((await t.ok('payment.queue', {}, await t.login(PINS.manager))).payments).toEqual([]);
  });

  it('an outcome still unknown at restart is queried at start: paid without a sale → reversed', async () => {
    const gw = new LossyGateway();
    t = openTestCore({ paymentProvider: gw, paymentTiming: FAST });
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    // The till died after sending the charge: the journal says 'charging', the gateway took the money.
    await gw.charge({ amount: 1850, outTradeNo: '0123456789abcdef0123456789abcdef', saleId: 'lost' });
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    const at = '2026-11-29T02:00:00.000Z';
    const cartId = (db.prepare("SELECT id FROM carts WHERE status = 'open'").get() as { id: string }).id;
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, cart_id, position, wallet, amount, status, out_trade_no, created_at, updated_at) VALUES ('i1', 'lost', ?, 1, 'wechat', 1850, 'charging', '0123456789abcdef0123456789abcdef', ?, ?)",
    ).run(cartId, at, at);
    db.close();
    gw.queriesDown = true;
    t.reopen({ paymentProvider: gw, paymentTiming: FAST });
    await t.core.ready;
    // Unreachable at start: stays unknown, the cart refuses to be paid until it is settled.
    expect((await t.ok('payment.pending', {}, token)).payments).toEqual([
      expect.objectContaining({ status: 'unknown', outTradeNo: '0123456789abcdef0123456789abcdef' }),
    ]);
    expect((await t.fail('cart.pay', { tenders: [{ type: 'cash', amount: 1850 }] }, token)).code).toBe(
      'PAYMENT_UNKNOWN',
    );
    gw.queriesDown = false;
    t.reopen({ paymentProvider: gw, paymentTiming: FAST });
    await t.core.ready;
    expect(gw.kept()).toHaveLength(0);
    expect((await t.ok('payment.pending', {}, token)).payments).toEqual([]);
    await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] }, token);
    expect(gw.kept()).toHaveLength(1);
  });

  it('an outcome left unknown at restart and found paid on the next pay is used for the sale, not charged again', async () => {
    const gw = new LossyGateway();
    t = openTestCore({ paymentProvider: gw, paymentTiming: FAST });
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    await gw.charge({ amount: 1850, outTradeNo: 'fedcba9876543210fedcba9876543210', saleId: 'lost' });
    const db = openSqlite(join(t.dataDir, 'terminal.db'));
    const at = '2026-11-29T02:00:00.000Z';
    const cartId = (db.prepare("SELECT id FROM carts WHERE status = 'open'").get() as { id: string }).id;
    db.prepare(
      "INSERT INTO payment_intents (id, sale_id, cart_id, position, wallet, amount, status, out_trade_no, provider, created_at, updated_at) VALUES ('i1', 'sale-attempt-1', ?, 1, 'wechat', 1850, 'charging', 'fedcba9876543210fedcba9876543210', 'wechat-sandbox', ?, ?)",
    ).run(cartId, at, at);
    db.close();
    gw.queriesDown = true;
    t.reopen({ paymentProvider: gw, paymentTiming: FAST });
    await t.core.ready;
    gw.queriesDown = false;
    const paid = await t.ok('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] }, token);
    expect(paid.saleId).toBe('sale-attempt-1');
    expect(paid.tenders[0]!.reference).toBe('TX-1');
    expect(gw.chargeCalls).toBe(1);
    expect(gw.kept()).toHaveLength(1);
  });

  it('the cashier cancel reverses a pending charge while the customer is still confirming', async () => {
    const gw = new LossyGateway();
    // A gateway that keeps answering "customer is entering the password".
    gw.charge = async (req) => {
      gw.chargeCalls++;
      gw.orders.set(req.outTradeNo!, { paid: false, reversed: false, amount: req.amount, transactionId: 'TX-P' });
      return { status: 'pending' as never, transactionId: null as never };
    };
    gw.query = async () => ({ status: 'paying' as never, transactionId: null });
    t = openTestCore({ paymentProvider: gw, paymentTiming: { ...FAST, deadlineMs: 10_000 } });
    const token = await t.login();
    await t.ok('cart.add', { sku: '100401' }, token);
    const paying = t.core.call(
      'cart.pay',
      { tenders: [{ type: 'payment_code', amount: 1850, code: WECHAT }] },
      { token },
    );
    await new Promise((r) => setTimeout(r, 60));
    expect((await t.ok('payment.pending', {}, token)).payments).toEqual([
      expect.objectContaining({ status: 'pending' }),
    ]);
    const started = performance.now();
    expect((await t.ok('payment.cancel', {}, token)).inFlight).toBe(true);
    const r = await paying;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r.ok ? 'ok' : r.error.code).toBe('PAYMENT_DECLINED');
    expect([...gw.orders.values()].every((o) => o.reversed)).toBe(true);
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('audit.list', {}, mgr)).entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['payment.cancel', 'payment.cancelled', 'payment.reversed']),
    );
  });
});
