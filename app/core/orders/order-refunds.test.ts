// Refunds of online orders paid back through the payment gateway, exactly once: a real till
// (real SQLite; sync attached to a closed port, so it decides handovers alone) and the WeChat Pay
// v2 / Alipay gateway emulators over real HTTP, where the mall's payment is held. A short pick
// handed over pays back its difference; a cancelled order pays back everything; a refund whose
// answer was lost (the gateway made it, the till timed out) and a till restarted before it heard
// are retried with the same refund number and the customer is paid once; an unreachable
// gateway leaves the refund owed until it answers; no wallet from the mall → the manager's.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HybridClock, OpFactory, orderEventId, orderEventRange, storeScope } from '../../../sync/core';
import { PaymentGatewayEmulator, type GatewayWallet } from '../../../drivers/emulators';
import { openSqlite } from '../db';
import { AlipayF2FProvider, WalletRouter, WechatPayV2Provider } from '../payment';
import { openTestCore, type TestCore } from '../test-support';
import { orderRefundNo } from './index';

const NOWHERE = 'http://127.0.0.1:9';
const TIMING = { pollMs: 20, deadlineMs: 600, offlineMs: 5_000, sweepMs: 150 };
const COLA = { sku: 'P0101', price: 350 };

let emu: PaymentGatewayEmulator;
const opened: TestCore[] = [];
const cloud = new OpFactory(new HybridClock({ nodeId: 'C000000c1', now: Date.now }));

function router(): WalletRouter {
  return new WalletRouter({
    wechat: new WechatPayV2Provider({
      baseUrl: emu.wechatBaseUrl,
      appId: emu.wechatAppId,
      mchId: emu.wechatMchId,
      apiKey: emu.wechatApiKey,
      timeoutMs: 300,
      connectTimeoutMs: 300,
    }),
    alipay: new AlipayF2FProvider({
      gatewayUrl: emu.alipayGatewayUrl,
      appId: emu.alipayAppId,
      privateKey: emu.alipayAppPrivateKey!,
      alipayPublicKey: emu.alipayPublicKey,
      timeoutMs: 300,
      connectTimeoutMs: 300,
    }),
  });
}

function till(): TestCore {
  const t = openTestCore({
    storeId: 'S001',
    terminalId: 'T01',
    sync: { cloudUrl: NOWHERE, enrollCode: 'DEMO-S001-2026', intervalMs: 600_000 },
    paymentProvider: router(),
    paymentTiming: TIMING,
  });
  opened.push(t);
  return t;
}

/** The mall's paid order reaching the till from the cloud (what sync/cloud/order-api.ts writes). */
async function mallOrder(t: TestCore, orderId: string, wallet: GatewayWallet | null, quantity = 2) {
  const paid = COLA.price * quantity;
  const paymentRef = emu.recordPaidOrder(wallet ?? 'wechat', `mall-${orderId}`, paid);
  await t.core.sync!.outbox.storage.apply(
    [
      cloud.fact('store:S001', 'online_order', orderId, {
        storeId: 'S001',
        channel: 'mini-program',
        createdAt: '2026-11-29T01:00:00.000Z',
        lines: [{ lineId: 'a', sku: COLA.sku, quantity, unitPrice: COLA.price, amount: paid }],
        fulfilment: 'pickup',
        maskedName: '王**',
        paid,
        paymentRef,
        ...(wallet ? { paymentWallet: wallet } : {}),
        pickupCode: `5${orderId.replace(/\D/g, '').padStart(7, '0')}`.slice(0, 8),
      }),
      cloud.move('S001', COLA.sku, 'reservation', quantity, orderId),
    ],
    'up:cloud',
  );
  return { paid, paymentRef, code: `5${orderId.replace(/\D/g, '').padStart(7, '0')}`.slice(0, 8) };
}

async function cancelFromCloud(t: TestCore, orderId: string) {
  await t.core.sync!.outbox.storage.apply(
    [
      cloud.fact('store:S001', 'order_event', `${orderId}.cancel`, {
        orderId,
        kind: 'cancelled',
        at: '2026-11-29T01:30:00.000Z',
        moves: [{ sku: COLA.sku, kind: 'release', qty: 2 }],
      }),
      cloud.move('S001', COLA.sku, 'release', 2, orderId),
    ],
    'up:cloud',
  );
}

/** The refund journal and audit, read on a second connection (the till keeps its own). */
function journal(t: TestCore, orderId: string) {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    const row = db.prepare('SELECT * FROM order_refunds WHERE order_id = ?').get(orderId) as
      { status: string; amount: number; attempts: number; refund_no: string } | undefined;
    const audit = (
      db.prepare("SELECT action FROM audit_log WHERE action LIKE 'order.refund%'").all() as { action: string }[]
    ).map((r) => r.action);
    return { row, audit };
  } finally {
    db.close();
  }
}

function refundedEvents(t: TestCore, orderId: string): { amount: number }[] {
  return t.core
    .sync!.outbox.storage.keyRangeSync({
      t: 'fact',
      scope: storeScope('S001'),
      e: 'order_event',
      ...orderEventRange(orderId),
    })
    .ops.map((o) => o.b as { kind: string; amount: number })
    .filter((b) => b.kind === 'refunded');
}

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 40));
  }
};

beforeAll(async () => {
  emu = new PaymentGatewayEmulator();
  await emu.listen();
});
afterAll(async () => {
  await emu.close();
});
afterEach(async () => {
  emu.setRefundHang('*', false);
  emu.setRefundFailure('*', false);
  await emu.goOnline();
  for (const t of opened.splice(0)) {
    await t.core.close();
    rmSync(t.dataDir, { recursive: true, force: true });
  }
});

describe('online order refunds through the payment gateway', () => {
  it('a short pick handed over pays back its difference to the WeChat payment, once', async () => {
    const t = till();
    const token = await t.login();
    const o = await mallOrder(t, 'r101', 'wechat');
    await t.ok('orders.pick', { orderId: 'r101', lineId: 'a', quantity: 1 }, token);
    await t.ok('orders.ready', { id: 'r101', print: false }, token);
    const done = await t.ok('orders.handover', { code: o.code }, token);
    expect(done.order.refund).toBe(COLA.price);
    await until('the refund paid', () => journal(t, 'r101').row?.status === 'paid');
    expect(emu.refundedOn(o.paymentRef)).toBe(COLA.price);
    expect(refundedEvents(t, 'r101')).toEqual([expect.objectContaining({ amount: COLA.price })]);
    expect(journal(t, 'r101').audit).toContain('order.refunded');
    // Later sweeps find nothing more to pay.
    await new Promise((r) => setTimeout(r, 500));
    expect(emu.refundedOn(o.paymentRef)).toBe(COLA.price);
    expect(emu.refunds.filter((r) => r.outRefundNo === orderRefundNo('r101'))).toHaveLength(1);
  });

  it('a cancelled order pays back everything; an answer lost in a timeout and a restart still pay once', async () => {
    const t = till();
    const o = await mallOrder(t, 'r102', 'alipay');
    // The gateway makes the refund but its answer never reaches the till (timeout).
    emu.setRefundHang('alipay', true);
    await cancelFromCloud(t, 'r102');
    await until('a timed-out attempt', () => (journal(t, 'r102').row?.attempts ?? 0) >= 1);
    // Owed, unless a retry already asked the gateway and learnt the refund was made (a busy
    // machine can get there before this check); either way the money moved exactly once.
    expect(['owed', 'paid']).toContain(journal(t, 'r102').row?.status);
    expect(emu.refundedOn(o.paymentRef)).toBe(o.paid); // the money moved already
    // The till restarts (the crash case: the journal says owed, the gateway has paid).
    emu.setRefundHang('alipay', false);
    t.reopen();
    await until('the refund settled', () => journal(t, 'r102').row?.status === 'paid');
    expect(emu.refundedOn(o.paymentRef)).toBe(o.paid); // not twice
    expect(refundedEvents(t, 'r102')).toHaveLength(1);
    expect(journal(t, 'r102').row?.refund_no).toBe(orderRefundNo('r102'));
  });

  it('an unreachable gateway leaves the refund owed until it answers; no wallet goes to the manager', async () => {
    const t = till();
    const o = await mallOrder(t, 'r103', 'wechat');
    await emu.goOffline();
    await cancelFromCloud(t, 'r103');
    await until('two failed attempts', () => (journal(t, 'r103').row?.attempts ?? 0) >= 2);
    expect(journal(t, 'r103').row?.status).toBe('owed');
    await emu.goOnline();
    await until('paid once the gateway answers', () => journal(t, 'r103').row?.status === 'paid');
    expect(emu.refundedOn(o.paymentRef)).toBe(o.paid);

    await mallOrder(t, 'r104', null);
    await cancelFromCloud(t, 'r104');
    await until('handed to the manager', () => journal(t, 'r104').row?.status === 'manual');
    expect(journal(t, 'r104').audit).toContain('order.refund-manual');
  });
});

describe('the manager’s refund desk (orders.refunds / refundRetry / refundPaid)', () => {
  it('lists a declined refund to managers only; a retry pays it once through the gateway, audited', async () => {
    const t = till();
    const cashier = await t.login();
    const manager = await t.login('8888');
    const o = await mallOrder(t, 'r105', 'wechat');
    emu.setRefundFailure('wechat', true);
    await cancelFromCloud(t, 'r105');
    await until('declined', () => journal(t, 'r105').row?.status === 'declined');
    expect((await t.fail('orders.refunds', {}, cashier)).code).toBe('FORBIDDEN');
    expect((await t.fail('orders.refundRetry', { orderId: 'r105' }, cashier)).code).toBe('FORBIDDEN');
    const listed = await t.ok('orders.refunds', { status: 'open' }, manager);
    expect(listed.refunds).toEqual([
      expect.objectContaining({
        orderId: 'r105',
        status: 'declined',
        amount: o.paid,
        reason: 'cancelled',
        wallet: 'wechat',
      }),
    ]);
    expect(emu.refundedOn(o.paymentRef)).toBe(0);

    emu.setRefundFailure('wechat', false);
    const r = await t.ok('orders.refundRetry', { orderId: 'r105' }, manager);
    expect(r.refund).toMatchObject({ status: 'paid', paidBy: 'gateway' });
    expect(emu.refundedOn(o.paymentRef)).toBe(o.paid);
    expect(refundedEvents(t, 'r105')).toHaveLength(1);
    // Paid is paid: a second retry is refused and moves no money.
    const again = await t.fail('orders.refundRetry', { orderId: 'r105' }, manager);
    expect(again).toMatchObject({ code: 'ORDER_STATE', details: { reason: 'refund-paid' } });
    expect(emu.refundedOn(o.paymentRef)).toBe(o.paid);
    expect(journal(t, 'r105').audit).toEqual(expect.arrayContaining(['order.refund-declined', 'order.refund-retried']));
    expect((await t.fail('orders.refundRetry', { orderId: 'nope' }, manager)).code).toBe('ORDER_NOT_FOUND');
  });

  it('a refund with no wallet is marked paid by hand with a note; an owed one must be retried instead', async () => {
    const t = till();
    const manager = await t.login('8888');
    const o = await mallOrder(t, 'r106', null);
    await cancelFromCloud(t, 'r106');
    await until('handed to the manager', () => journal(t, 'r106').row?.status === 'manual');
    const noWallet = await t.fail('orders.refundRetry', { orderId: 'r106' }, manager);
    expect(noWallet).toMatchObject({ code: 'ORDER_STATE', details: { reason: 'refund-no-wallet' } });
    expect((await t.fail('orders.refundPaid', { orderId: 'r106', note: '  ' }, manager)).code).toBe('BAD_INPUT');
    const paid = await t.ok('orders.refundPaid', { orderId: 'r106', note: '柜台现金退还' }, manager);
    expect(paid.refund).toMatchObject({ status: 'paid', paidBy: 'manual', note: '柜台现金退还', amount: o.paid });
    // The order's one `refunded` event: the cloud shows it paid and the mall is told.
    expect(refundedEvents(t, 'r106')).toEqual([expect.objectContaining({ amount: o.paid, manual: true })]);
    expect(journal(t, 'r106').audit).toContain('order.refund-paid-manually');
    expect((await t.fail('orders.refundPaid', { orderId: 'r106', note: 'x' }, manager)).code).toBe('ORDER_STATE');

    // The gateway cannot be reached: the refund stays owed, and may have been made; no hand payment.
    const o2 = await mallOrder(t, 'r107', 'wechat');
    await emu.goOffline();
    await cancelFromCloud(t, 'r107');
    await until('a failed attempt', () => (journal(t, 'r107').row?.attempts ?? 0) >= 1);
    const owed = await t.fail('orders.refundPaid', { orderId: 'r107', note: 'cash' }, manager);
    expect(owed).toMatchObject({ code: 'ORDER_STATE', details: { reason: 'refund-owed' } });
    expect((await t.ok('orders.refundRetry', { orderId: 'r107' }, manager)).refund.status).toBe('owed');
    await emu.goOnline();
    expect((await t.ok('orders.refundRetry', { orderId: 'r107' }, manager)).refund.status).toBe('paid');
    expect(emu.refundedOn(o2.paymentRef)).toBe(o2.paid);
  });
});

describe('refunds another till holds', () => {
  it('are listed to the manager as on that till until its refunded event arrives; this till pays nothing', async () => {
    const t = till();
    const manager = await t.login('8888');
    const o = await mallOrder(t, 'r108', 'wechat');
    // Till T02 picked one of two and handed the order over: the difference is T02's to pay.
    const event = (suffix: string, body: Record<string, unknown>) =>
      cloud.fact('store:S001', 'order_event', orderEventId('r108', suffix), {
        orderId: 'r108',
        at: '2026-11-29T01:40:00.000Z',
        terminalId: 'T02',
        ...body,
      });
    await t.core.sync!.outbox.storage.apply(
      [
        event('p1', { kind: 'picked', lineId: 'a', quantity: 1, amount: COLA.price }),
        event('r1', { kind: 'ready', bags: 1 }),
        event('c1', { kind: 'collected', settledAmount: COLA.price, refund: COLA.price }),
      ],
      'up:cloud',
    );
    await new Promise((r) => setTimeout(r, 400)); // a sweep or two
    const listed = await t.ok('orders.refunds', {}, manager);
    expect(listed.refunds).toEqual([
      expect.objectContaining({ orderId: 'r108', status: 'other-till', terminalId: 'T02', amount: COLA.price }),
    ]);
    expect(journal(t, 'r108').row).toBeUndefined();
    expect((await t.fail('orders.refundRetry', { orderId: 'r108' }, manager)).code).toBe('ORDER_NOT_FOUND');
    expect(emu.refundedOn(o.paymentRef)).toBe(0);
    // T02 paid it: the list no longer shows it.
    await t.core.sync!.outbox.storage.apply(
      [event('refunded', { kind: 'refunded', amount: COLA.price, reason: 'collected' })],
      'up:cloud',
    );
    expect((await t.ok('orders.refunds', {}, manager)).refunds).toEqual([]);
  });
});
