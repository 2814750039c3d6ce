// SIGKILL at each step of the payment-code flow, then restart: the customer is charged at
// most once — every charge the gateway holds belongs to exactly one sale, or is reversed.
// Real child process, real SQLite file, real WeChat Pay v2 over HTTP on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../app/core/db';
import { WalletRouter, WechatPayV2Provider } from '../../app/core/payment';
import { openTerminalCore } from '../../app/core';
import { PaymentGatewayEmulator, type GatewayFault } from '../../drivers/emulators';

const root = join(import.meta.dirname, '../..');
let gw: PaymentGatewayEmulator;
beforeAll(async () => {
  gw = new PaymentGatewayEmulator();
  await gw.listen();
});
afterAll(async () => {
  await gw.close();
});

async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for the step');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const steps: { name: string; fault: GatewayFault; killWhen: () => boolean }[] = [
  {
    name: 'charge sent, money taken, no answer yet',
    fault: { mode: 'timeout_charged' },
    killWhen: () => gw.requests.some((q) => q.api === 'pay/micropay'),
  },
  {
    name: 'charge sent, nothing taken, no answer yet',
    fault: { mode: 'timeout_not_charged' },
    killWhen: () => gw.requests.some((q) => q.api === 'pay/micropay'),
  },
  {
    name: 'customer confirming (USERPAYING), till querying',
    fault: { mode: 'userpaying_then_success', afterMs: 300 },
    killWhen: () => gw.requests.some((q) => q.api === 'pay/orderquery'),
  },
  {
    name: 'SYSTEMERROR answered, till querying a paid order',
    fault: { mode: 'systemerror' },
    killWhen: () => gw.requests.some((q) => q.api === 'pay/orderquery'),
  },
  {
    name: 'paid, sale being committed',
    fault: { mode: 'success' },
    killWhen: () => gw.requests.some((q) => q.api === 'pay/micropay'),
  },
];

describe('SIGKILL during a payment-code payment, then restart', () => {
  it.each(steps)('$name', async (step) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-pay-crash-'));
    gw.orders.clear();
    gw.requests.length = 0;
    gw.setFault('wechat', step.fault);
    try {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'test/payments/pay-child.ts'),
          dataDir,
          gw.wechatBaseUrl,
          gw.wechatAppId,
          gw.wechatMchId,
          gw.wechatApiKey,
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
      });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await until(() => step.killWhen() || /PAID|PAYMENT_/.test(out), 60_000);
      child.kill('SIGKILL');
      await exited;
      // A customer who confirms late (after the crash) must not end up charged either.
      await new Promise((r) => setTimeout(r, 350));

      const core = openTerminalCore({
        dataDir,
        logger: pino({ level: 'silent' }),
        pinScryptN: 1024,
        paymentProvider: new WalletRouter({
          wechat: new WechatPayV2Provider({
            baseUrl: gw.wechatBaseUrl,
            appId: gw.wechatAppId,
            mchId: gw.wechatMchId,
            apiKey: gw.wechatApiKey,
            timeoutMs: 500,
          }),
          alipay: null,
        }),
        paymentTiming: { pollMs: 20, deadlineMs: 100 },
      });
      await core.ready;
      await core.close();
      const db = openSqlite(join(dataDir, 'terminal.db'));
      const refs = (
        db.prepare("SELECT reference FROM sale_tenders WHERE type = 'payment_code'").all() as { reference: string }[]
      ).map((r) => r.reference);
      const open = db
        .prepare(
          "SELECT status FROM payment_intents WHERE status IN ('charging', 'pending', 'unknown', 'approved', 'reversing')",
        )
        .all();
      db.close();
      for (const o of gw.held()) expect(refs.filter((r) => r === o.transactionId)).toHaveLength(1);
      expect(gw.held().length).toBeLessThanOrEqual(1);
      expect(refs.length).toBe(gw.held().length);
      expect(open).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
