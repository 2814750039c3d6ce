// A coupon at the till in Chromium (issue 15): a real cloud issues it through its admin API, a
// real store hub holds it, the till (web host syncing with both) is driven by keys: the cashier
// scans two items and the coupon's code with the wedge scanner, sees the coupon's line and the
// lower total, pays cash, and the cloud shows the coupon spent by that sale.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import { startProcess, type Proc } from '../sync/processes';
import { dropCloudSchema, postJson, waitFor } from '../sync/helpers';
import { launchChromium, loginToTill, newTillPage, scanIntoCart, wedgeScan, widenWedgeWindow } from './till-page';

const CODE = 'DEMO-S001-2026';
const ADMIN = 'e2e-coupons-admin';
const milk = demoProducts().find((p) => p.nameEn === 'Organic Milk 1L')!;
const fen = (n: number) => `¥${(n / 100).toFixed(2)}`;
let cloud: Proc | null = null;
let hub: Proc | null = null;
let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
const dirs: string[] = [];
let schema = '';
const temp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
const cloudUrl = () => `http://127.0.0.1:${cloud!.info.port}`;

beforeAll(async () => {
  schema = `t_e2e_cpn_${Date.now().toString(36)}_${process.pid}`;
  const dbEnv: Record<string, string> = process.env['DATABASE_URL']
    ? { DATABASE_URL: process.env['DATABASE_URL'], CLOUD_SCHEMA: schema }
    : { DATABASE_URL: '', CLOUD_DATA_DIR: temp('pos-e2e-cpn-cloud-') };
  cloud = await startProcess('sync/cloud/main.ts', {
    ...dbEnv,
    CLOUD_PORT: '0',
    CLOUD_DEMO: '1',
    CLOUD_ADMIN_TOKEN: ADMIN,
    DEMO_ENROLL_CODE: CODE,
    DEMO_STORE_ID: 'S001',
  });
  hub = await startProcess('sync/hub/main.ts', {
    HUB_PORT: '0',
    HUB_DATA_DIR: temp('pos-e2e-cpn-hub-'),
    CLOUD_URL: cloudUrl(),
    ENROLL_CODE: CODE,
    STORE_ID: 'S001',
    HUB_SYNC_INTERVAL_MS: '200',
    HUB_MAX_BACKOFF_MS: '800',
  });
  host = await startWebHost({
    port: 0,
    dataDir: temp('pos-e2e-cpn-till-'),
    seedDemo: true,
    storeId: 'S001',
    logger: pino({ level: 'silent' }),
    sync: {
      hubUrl: `http://127.0.0.1:${hub.info.port}`,
      cloudUrl: cloudUrl(),
      enrollCode: CODE,
      intervalMs: 300,
      maxBackoffMs: 1000,
    },
  });
  await widenWedgeWindow(host.url);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await hub?.stop();
  await cloud?.stop();
  if (process.env['DATABASE_URL']) await dropCloudSchema(schema);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a coupon at the till', () => {
  it('scan two items and the coupon, see the coupon line and the saving, pay cash; the cloud shows it spent', async () => {
    const issued = await postJson(
      `${cloudUrl()}/api/coupons`,
      {
        storeId: 'S001',
        name: '满30减8',
        nameEn: '¥8 off ¥30',
        kind: 'value',
        value: 800,
        minSpend: 3000,
        validFrom: new Date(Date.now() - 3600_000).toISOString(),
        validTo: new Date(Date.now() + 86_400_000).toISOString(),
      },
      ADMIN,
    );
    expect(issued.status).toBe(200);
    const code = issued.body.coupon.code as string;
    // The coupon reaches the till by sync (cloud → till), the hub by its own relay.
    await waitFor(
      'the coupon reached the hub',
      async () => {
        const h = (await fetch(`http://127.0.0.1:${hub!.info.port}/health`).then((r) => r.json())) as any;
        return h.ops > 0 && h.sync.pendingOps === 0;
      },
      30_000,
    );
    const page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await scanIntoCart(page, milk.ean13!);
    await scanIntoCart(page, milk.ean13!);
    // Until the coupon has reached the till its scan says COUPON_NOT_FOUND: scan again.
    await expect
      .poll(
        async () => {
          if (await page.getByTestId('error-banner').count()) await page.getByTestId('error-dismiss').click();
          await wedgeScan(page, code);
          await page
            .locator('[data-testid="cart-coupon"], [data-testid="error-banner"]')
            .first()
            .waitFor({ timeout: 5000 })
            .catch(() => undefined);
          return page.getByTestId('cart-coupon').count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(1);
    const coupon = page.getByTestId('cart-coupon');
    expect(await coupon.getAttribute('data-held')).toBe('hub');
    expect(await coupon.textContent()).toContain('满30减8');
    expect(await coupon.textContent()).toContain(`-${fen(800)}`);
    expect(await page.locator(`[data-testid="cart-line-promo"][data-rule-id="coupon:${code}"]`).count()).toBe(1);
    const total = 2 * milk.price - 800;
    expect(await page.getByTestId('cart-total').textContent()).toBe(fen(total));

    await page.keyboard.press('F12');
    const cash = page.getByTestId('tender-cash-input');
    await cash.waitFor();
    await cash.fill('100');
    const paid = page.waitForResponse((r) => r.url().endsWith('/api/cart.pay'));
    await page.keyboard.press('Enter');
    const result = (await (await paid).json()) as { ok: boolean; saleNumber: string; total: number };
    expect(result).toMatchObject({ ok: true, total });
    await page.getByTestId('receipt-dialog').waitFor();
    const receipt = (await page.getByTestId('receipt-preview').textContent()) ?? '';
    expect(receipt).toContain('满30减8');
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-empty').waitFor();

    // Scanned again on the next sale: refused, in the cashier's words.
    await scanIntoCart(page, milk.ean13!);
    await scanIntoCart(page, milk.ean13!);
    await wedgeScan(page, code);
    await page.locator('[data-testid="error-banner"][data-code="COUPON_ALREADY_REDEEMED"]').waitFor();
    expect(await page.getByTestId('error-message').textContent()).toContain('已被使用');
    // Typed by hand (Alt+C): the dialog keeps the code and says why, in the cashier's words.
    await page.getByTestId('error-dismiss').click();
    await page.keyboard.press('Alt+c');
    const input = page.getByTestId('coupon-code-input');
    await input.waitFor();
    await input.fill(code.toLowerCase());
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="prompt-error"][data-code="COUPON_ALREADY_REDEEMED"]').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('coupon-dialog').waitFor({ state: 'detached' });

    const spent = await waitFor(
      'cloud shows it spent',
      async () => {
        const r = (await fetch(`${cloudUrl()}/api/coupons/${code}`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        }).then((x) => x.json())) as any;
        return r.coupon.status === 'redeemed' && r.coupon;
      },
      30_000,
    );
    expect(spent.redemption.saleNumber).toBe(result.saleNumber);
    await page.close();
  }, 120_000);
});
