// Payment codes end to end: the web host with the built-in gateway emulators (real WeChat
// Pay v2 XML over HTTP on 127.0.0.1), real Chromium. The cashier sees the pending state while
// the customer confirms, can cancel it, and the customer is charged at most once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost } from '../../app/host';
import { demoProducts } from '../../app/core';
import type { PaymentGatewayEmulator } from '../../drivers/emulators';
import { launchChromium, loginToTill, newTillPage, scanIntoCart, wedgeScan, widenWedgeWindow } from './till-page';

let host: Awaited<ReturnType<typeof startWebHost>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let gw: PaymentGatewayEmulator;
const item = demoProducts().find((p) => p.ean13 && p.unit === 'each')!;
const WECHAT = '134567890123456789';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-pay-'));
  // The gateway emulators, as POS_PAYMENTS=emulated gives them (the till's settings pass it as this option).
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    payments: 'emulated',
    logger: pino({ level: 'silent' }),
  });
  gw = host.till.paymentGateway!;
  await widenWedgeWindow(host.url);
  browser = await launchChromium();
  page = await newTillPage(browser, host.url);
  await loginToTill(page, '1234', '500');
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('payment codes at the till (gateway emulator)', () => {
  it('shows "waiting for the customer" while USERPAYING, then completes with one charge', async () => {
    expect(gw).toBeTruthy();
    gw.setFault('wechat', { mode: 'userpaying_then_success', afterMs: 1_000 });
    await scanIntoCart(page, item.ean13!);
    await page.keyboard.press('F12');
    await page.getByTestId('pay-dialog').waitFor();
    await wedgeScan(page, WECHAT);
    const pending = page.getByTestId('pay-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toMatch(/顾客输入密码中|Waiting for the customer/);
    await page.getByTestId('receipt-dialog').waitFor({ timeout: 20_000 });
    expect(gw.held()).toHaveLength(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('cart-empty').waitFor();
  });

  it('the cashier cancels a pending payment: reversed, nothing charged, the cart stays', async () => {
    gw.setFault('wechat', { mode: 'late_success', afterMs: 60_000 });
    await scanIntoCart(page, item.ean13!);
    await page.keyboard.press('F12');
    await page.getByTestId('pay-dialog').waitFor();
    await wedgeScan(page, WECHAT);
    await page.getByTestId('pay-pending').waitFor();
    await page.getByTestId('pay-pending-cancel').click();
    const err = page.locator('[data-testid="pay-error"]');
    await err.waitFor({ timeout: 20_000 });
    expect(await err.getAttribute('data-code')).toBe('PAYMENT_DECLINED');
    expect(await err.textContent()).not.toMatch(/重试|try again/i);
    expect(gw.held()).toHaveLength(1); // the first sale's charge only
    expect([...gw.orders.values()].filter((o) => o.state === 'REVOKED')).toHaveLength(1);
    // Cash is taken instead.
    gw.setFault('wechat', { mode: 'success' });
    await page.getByTestId('tender-exact').click();
    await page.getByTestId('receipt-dialog').waitFor();
  });

  it('the manager reconciles the WeChat trade bill in the back office', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('logout-button').click();
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-payments').click();
    await page.getByTestId('payment-queue').waitFor();
    await page.getByTestId('reconcile-text').fill(gw.wechatBill());
    await page.getByTestId('reconcile-run').click();
    await page.getByTestId('reconcile-result').waitFor();
    // One sale paid by WeChat (kept), one order reversed: everything matches.
    expect(await page.getByTestId('reconcile-line').count()).toBe(0);
    expect(await page.locator('[data-testid="reconcile-result"] caption').textContent()).toMatch(/1/);
  });
});
