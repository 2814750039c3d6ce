// The fault matrix of issue #12: every switch of the gateway emulators (real HTTP on
// 127.0.0.1, real WeChat Pay v2 XML/HMAC-SHA256 and Alipay RSA2 wire formats) against the
// till core on a real SQLite file. In every case the customer is charged at most once, every
// charge the merchant keeps belongs to exactly one sale, and the cashier saw the right code.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../app/core/db';
import { AlipayF2FProvider, paymentProviderFromFiles, WalletRouter, WechatPayV2Provider } from '../../app/core/payment';
import { openTestCore, PINS, type TestCore } from '../../app/core/test-support';
import { PaymentGatewayEmulator, type GatewayFault, type GatewayWallet } from '../../drivers/emulators';

const CODES: Record<GatewayWallet, string> = { wechat: '134567890123456789', alipay: '2845678901234567' };
const TIMING = { pollMs: 20, deadlineMs: 600, offlineMs: 5_000, sweepMs: 3_600_000 };
const MILK = '100401'; // 18.50

let emu: PaymentGatewayEmulator;
let t: TestCore;

function router(timeoutMs = 300): WalletRouter {
  return new WalletRouter({
    wechat: new WechatPayV2Provider({
      baseUrl: emu.wechatBaseUrl,
      appId: emu.wechatAppId,
      mchId: emu.wechatMchId,
      apiKey: emu.wechatApiKey,
      timeoutMs,
      connectTimeoutMs: 300,
    }),
    alipay: new AlipayF2FProvider({
      gatewayUrl: emu.alipayGatewayUrl,
      appId: emu.alipayAppId,
      privateKey: emu.alipayAppPrivateKey!,
      alipayPublicKey: emu.alipayPublicKey,
      timeoutMs,
      connectTimeoutMs: 300,
    }),
  });
}

beforeAll(async () => {
  emu = new PaymentGatewayEmulator();
  await emu.listen();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  t?.cleanup();
  emu.orders.clear();
  emu.requests.length = 0;
  emu.refunds.length = 0;
  emu.setFault('*', { mode: 'success' });
  emu.setRefundFailure('*', false);
  emu.setReverseFailure('*', false);
});

function saleReferences(): string[] {
  const db = openSqlite(join(t.dataDir, 'terminal.db'));
  try {
    return (
      db.prepare("SELECT reference FROM sale_tenders WHERE type = 'payment_code'").all() as { reference: string }[]
    ).map((r) => r.reference);
  } finally {
    db.close();
  }
}
/** The guarantee: every charge kept by the merchant belongs to exactly one sale. */
function assertAtMostOnce(): void {
  const refs = saleReferences();
  for (const o of emu.held()) expect(refs.filter((r) => r === o.transactionId)).toHaveLength(1);
  expect(new Set(refs).size).toBe(refs.length);
}
async function setup(): Promise<string> {
  t = openTestCore({ paymentProvider: router(), paymentTiming: TIMING });
  const token = await t.login();
  await t.ok('cart.add', { sku: MILK }, token);
  return token;
}
const pay = (wallet: GatewayWallet, token: string) =>
  t.core.call('cart.pay', { tenders: [{ type: 'payment_code', amount: 1850, code: CODES[wallet] }] }, { token });

describe.each(['wechat', 'alipay'] as const)('%s payment codes against the gateway emulator', (wallet) => {
  const cases: { fault: GatewayFault; expect: 'ok' | string; held: number; pendingShown?: boolean }[] = [
    { fault: { mode: 'success' }, expect: 'ok', held: 1 },
    { fault: { mode: 'userpaying_then_success', afterMs: 150 }, expect: 'ok', held: 1, pendingShown: true },
    {
      fault: { mode: 'userpaying_then_cancel', afterMs: 150 },
      expect: 'PAYMENT_DECLINED',
      held: 0,
      pendingShown: true,
    },
    { fault: { mode: 'late_success', afterMs: 2_000 }, expect: 'PAYMENT_DECLINED', held: 0, pendingShown: true },
    { fault: { mode: 'systemerror' }, expect: 'ok', held: 1 },
    { fault: { mode: 'timeout_charged' }, expect: 'ok', held: 1 },
    { fault: { mode: 'timeout_not_charged' }, expect: 'PAYMENT_DECLINED', held: 0 },
    { fault: { mode: 'decline' }, expect: 'PAYMENT_DECLINED', held: 0 },
  ];
  it.each(cases)('$fault.mode → $expect, $held charge(s) kept', async (c) => {
    const token = await setup();
    emu.setFault(wallet, c.fault);
    const r = await pay(wallet, token);
    expect(r.ok ? 'ok' : r.error.code).toBe(c.expect);
    if (!r.ok) expect(r.error.message).not.toMatch(/重试|try again/i);
    if (c.pendingShown) expect(t.events.some((e) => e.type === 'payment.pending')).toBe(true);
    // A late confirmation after the till gave up can no longer take money: the order was reversed.
    await new Promise((res) => setTimeout(res, c.fault.mode === 'late_success' ? 2_100 : 10));
    expect(emu.held()).toHaveLength(c.held);
    assertAtMostOnce();
    if (!r.ok) {
      // Settled: the cashier may now take the payment again (fresh order number) and it goes through.
      emu.setFault(wallet, { mode: 'success' });
      expect((await pay(wallet, token)).ok).toBe(true);
      expect(emu.held()).toHaveLength(1);
      assertAtMostOnce();
    }
    const orderNos = emu.requests.filter((q) => q.outTradeNo).map((q) => q.outTradeNo!);
    expect(orderNos.every((n) => /^[0-9a-f]{32}$/.test(n))).toBe(true);
  });

  it('refund failure: the return is refused and the charge stays with the sale; refunded through the refund API once it works', async () => {
    const token = await setup();
    const paid = await pay(wallet, token);
    if (!paid.ok) throw new Error(paid.error.message);
    const { sale } = await t.ok('sales.get', { id: paid.saleId }, token);
    const input = {
      saleId: paid.saleId,
      lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }],
      reason: '变质 spoiled',
      managerPin: PINS.manager,
    };
    emu.setRefundFailure(wallet, true);
    expect((await t.fail('returns.create', input, token)).code).toBe('PAYMENT_DECLINED');
    expect(emu.held()).toHaveLength(1);
    emu.setRefundFailure(wallet, false);
    await t.ok('returns.create', input, token);
    expect(emu.held()).toHaveLength(0);
    expect(emu.refunds.filter((r) => r.ok)).toEqual([
      expect.objectContaining({ wallet, amount: 1850, transactionId: paid.tenders[0]!.reference }),
    ]);
  });

  it('a reversal that fails is owed, listed for the manager, blocks a second code on the cart, and is retried at start', async () => {
    const token = await setup();
    emu.setFault(wallet, { mode: 'late_success', afterMs: 60_000 });
    emu.setReverseFailure(wallet, true);
    const r = await pay(wallet, token);
    expect(r.ok ? 'ok' : r.error.code).toBe('PAYMENT_UNKNOWN');
    expect((await pay(wallet, token)).ok).toBe(false);
    expect(emu.requests.filter((q) => q.api === 'pay/micropay' || q.api === 'alipay.trade.pay')).toHaveLength(1);
    const mgr = await t.login(PINS.manager);
    expect((await t.ok('payment.queue', {}, mgr)).payments).toEqual([
      expect.objectContaining({ status: 'reversing', wallet }),
    ]);
    emu.setReverseFailure(wallet, false);
    t.reopen({ paymentProvider: router(), paymentTiming: TIMING });
    await t.core.ready;
    expect((await t.ok('payment.queue', {}, mgr)).payments).toEqual([]);
    expect(emu.held()).toHaveLength(0);
    const [o] = [...emu.orders.values()];
    expect(o!.state).toBe('REVOKED');
  });

  it('offline: refused at once in plain words, nothing charged, cash still taken', async () => {
    const token = await setup();
    await emu.goOffline();
    try {
      const started = performance.now();
      const r = await pay(wallet, token);
      expect(r.ok ? 'ok' : r.error.code).toBe('PAYMENT_OFFLINE');
      expect(r.ok ? '' : r.error.message).toMatch(/现金|cash/);
      expect(performance.now() - started).toBeLessThan(1_500);
      // The next attempt is refused without waiting on the network again.
      const again = performance.now();
      expect((await pay(wallet, token)).ok).toBe(false);
      expect(performance.now() - again).toBeLessThan(100);
      expect((await t.ok('cart.pay', { tenders: [{ type: 'cash', amount: 2000 }] }, token)).change).toBe(150);
    } finally {
      await emu.goOnline();
    }
    expect(emu.held()).toHaveLength(0);
  });
});

describe('gateway settings files', () => {
  it('loads POS_WECHATPAY / POS_ALIPAY, refusing key files other users can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-pay-cfg-'));
    try {
      writeFileSync(join(dir, 'wx.key'), 'A'.repeat(32), { mode: 0o644 });
      writeFileSync(
        join(dir, 'wechatpay.json'),
        JSON.stringify({ baseUrl: emu.wechatBaseUrl, appId: 'wx1', mchId: '1900000109', keyFile: 'wx.key' }),
      );
      expect(() => paymentProviderFromFiles({ wechatpay: join(dir, 'wechatpay.json') })).toThrow(/chmod 600/);
      chmodSync(join(dir, 'wx.key'), 0o600);
      const p = paymentProviderFromFiles({ wechatpay: join(dir, 'wechatpay.json') });
      expect(p?.name).toBe('gateway');
      // The emulator's key differs: the gateway refuses the signature, so the outcome is not "paid".
      await expect(p!.query({ outTradeNo: 'x', wallet: 'wechat' })).rejects.toThrow(/签名错误|FAIL/);
      writeFileSync(join(dir, 'app.pem'), emu.alipayAppPrivateKey!.export({ type: 'pkcs8', format: 'pem' }) as string, {
        mode: 0o600,
      });
      writeFileSync(join(dir, 'alipay.pub'), emu.alipayPublicKey.export({ type: 'spki', format: 'pem' }) as string);
      writeFileSync(
        join(dir, 'alipay.json'),
        JSON.stringify({
          gatewayUrl: emu.alipayGatewayUrl,
          appId: emu.alipayAppId,
          privateKeyFile: 'app.pem',
          alipayPublicKeyFile: 'alipay.pub',
        }),
      );
      const a = paymentProviderFromFiles({ alipay: join(dir, 'alipay.json') });
      expect(await a!.query({ outTradeNo: 'nothing', wallet: 'alipay' })).toMatchObject({ status: 'not_paid' });
      await expect(a!.query({ outTradeNo: 'x', wallet: 'wechat' })).rejects.toThrow(/not set up/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("reconciliation against the gateways' daily statements", () => {
  it.each(['wechat', 'alipay'] as const)(
    '%s: matches sales and refunds; reports missing on either side and amount mismatches; exports CSV',
    async (wallet) => {
      const token = await setup();
      const a = await pay(wallet, token);
      await t.ok('cart.add', { sku: MILK }, token);
      const b = await pay(wallet, token);
      await t.ok('cart.add', { sku: MILK }, token);
      const c = await pay(wallet, token);
      if (!a.ok || !b.ok || !c.ok) throw new Error('payment failed');
      const { sale } = await t.ok('sales.get', { id: a.saleId }, token);
      await t.ok(
        'returns.create',
        {
          saleId: a.saleId,
          lines: [{ lineId: sale.lines[0]!.lineId, quantity: 1 }],
          reason: '变质 spoiled',
          managerPin: PINS.manager,
        },
        token,
      );
      const mgr = await t.login(PINS.manager);
      const statement = () => (wallet === 'wechat' ? emu.wechatBill() : emu.alipayStatement());
      const clean = await t.ok('payment.reconcile', { wallet, statement: statement() }, mgr);
      expect(clean).toMatchObject({ matched: 3, lines: [] });
      // Their side: b is missing, c was charged 1 fen more, and a charge the store never recorded.
      const ordersOf = (id: string) => [...emu.orders.values()].find((o) => o.transactionId === id)!;
      emu.orders.delete(`${wallet}:${ordersOf(b.tenders[0]!.reference!).outTradeNo}`);
      ordersOf(c.tenders[0]!.reference!).amount += 1;
      await router().charge({
        code: CODES[wallet],
        amount: 999,
        saleId: 'x',
        wallet,
        outTradeNo: 'ffffffffffffffffffffffffffffffff',
      });
      const r = await t.ok('payment.reconcile', { wallet, statement: statement() }, mgr);
      expect(r.matched).toBe(1);
      expect(r.lines.map((l) => [l.kind, l.ours?.paid ?? null, l.theirs?.paid ?? null]).sort()).toEqual(
        [
          ['amount_mismatch', 1850, 1851],
          ['missing_ours', null, 999],
          ['missing_theirs', 1850, null],
        ].sort(),
      );
      expect(r.csv.startsWith('\uFEFF差异 kind,')).toBe(true);
      expect(r.csv).toContain('missing_ours');
      expect((await t.fail('payment.reconcile', { wallet, statement: 'hello,world\n1,2' }, mgr)).code).toBe(
        'BAD_INPUT',
      );
      expect((await t.fail('payment.reconcile', { wallet, statement: statement() }, token)).code).toBe('FORBIDDEN');
    },
  );
});
