// Replenishment in the back office, in Chromium, with the keyboard: the manager opens the tab,
// reads the reasons in Chinese, changes one quantity, moves on with Enter and sends the purchase
// order; the order is what the till then holds as in transit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import { launchChromium, loginToTill, newTillPage } from './till-page';

let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-repl-'));
  host = await startWebHost({ port: 0, dataDir, seedDemo: true, logger: pino({ level: 'silent' }) });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('replenishment screen', () => {
  it('shows the suggested order with reasons and sends the edited order', async () => {
    const page = await newTillPage(browser, host.url);
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.getByTestId('bo-tab-replenish').focus();
    await page.keyboard.press('Enter');
    const rows = page.getByTestId('repl-row');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBeGreaterThan(20);
    // Reasons in words: the weekday, the forecast and the stock on hand.
    const reason = (await rows.first().locator('td.detail').textContent()) ?? '';
    expect(reason).toMatch(/^周[一二三四五六日]/);
    expect(reason).toMatch(/预测 .+现有 /);

    const first = page.getByTestId('repl-qty').first();
    await first.focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    // Enter moved to the next line's quantity.
    expect(
      await page
        .getByTestId('repl-qty')
        .nth(1)
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.getByTestId('repl-submit').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('repl-sent').waitFor();

    const r = await fetch(`${host.url}/api/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url },
      body: JSON.stringify({ pin: '8888' }),
    }).then((x) => x.json() as Promise<{ token: string }>);
    const orders = await fetch(`${host.url}/api/replenishment.orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url, authorization: `Bearer ${r.token}` },
      body: '{}',
    }).then((x) => x.json() as Promise<{ orders: { lines: { sku: string; quantity: number }[] }[] }>);
    const sku = await rows.first().getAttribute('data-sku');
    expect(orders.orders[0]!.lines.find((l) => l.sku === sku)?.quantity).toBe(7);
    await page.close();
  }, 120_000);

  it('lets the manager set a service level and a case pack in the ordering parameters, with the keyboard', async () => {
    const page = await newTillPage(browser, host.url);
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-replenish').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('repl-params-toggle').focus();
    expect(await page.getByTestId('repl-params-toggle').textContent()).toBe('订货参数');
    await page.keyboard.press('Enter');
    const row = page.getByTestId('repl-param-row').first();
    await row.waitFor({ timeout: 30_000 });
    const sku = await row.getAttribute('data-sku');
    await row.getByTestId('repl-param-casePack').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('8');
    // Enter saves the row and moves to its lead time, then to its service level.
    await page.keyboard.press('Enter');
    expect(await row.getByTestId('repl-param-leadDays').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.type('95');
    await page.keyboard.press('Enter');
    await page
      .getByText(/已保存/)
      .first()
      .waitFor();

    const r = await fetch(`${host.url}/api/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.url },
      body: JSON.stringify({ pin: '8888' }),
    }).then((x) => x.json() as Promise<{ token: string }>);
    const itemOf = async () =>
      (
        await fetch(`${host.url}/api/replenishment.items`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: host.url, authorization: `Bearer ${r.token}` },
          body: '{}',
        }).then(
          (x) =>
            x.json() as Promise<{
              items: { sku: string; unit: string; casePack: number; serviceLevel: number | null }[];
            }>,
        )
      ).items.find((i) => i.sku === sku)!;
    // Both saves land (the second Enter's save may still be in flight when the first banner shows).
    const weighed = (await itemOf()).unit === 'weighed';
    await expect.poll(itemOf, { timeout: 10_000 }).toMatchObject({ casePack: weighed ? 8000 : 8, serviceLevel: 0.95 });
    await page.close();
  }, 120_000);
});
