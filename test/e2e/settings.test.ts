// Store settings in the back office, in Chromium, keyboard only at 1024×768: the manager opens
// Settings with Alt+S, changes the cashier discount limit and the cash rounding, saves with Enter,
// and the core's settings (what every till of the store receives) carry the change; a bad time
// zone is refused with the reason in words and nothing is saved.
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
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-settings-'));
  host = await startWebHost({ port: 0, dataDir, seedDemo: true, logger: pino({ level: 'silent' }) });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The core's store settings, read over the same HTTP API with a technician's own session. */
async function settingsNow() {
  const post = async (method: string, body: unknown, token?: string) => {
    const res = await fetch(`${host.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const { token } = (await post('auth.login', { pin: '7777' })) as { token: string };
  const { settings } = (await post('settings.get', {}, token)) as {
    settings: { maxCashierDiscountPercent: number; timeZone: string; cashRounding: { mode: string } };
  };
  await post('auth.logout', {}, token);
  return settings;
}

describe('store settings screen', () => {
  it('changes the discount limit and cash rounding by keyboard; a bad time zone is refused', async () => {
    const page = await newTillPage(browser, host.url);
    await page.setViewportSize({ width: 1024, height: 768 });
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.keyboard.press('Alt+s');
    await page.getByTestId('settings-form').waitFor();
    // The rounding select has the focus: choose "round down" with the arrow key.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab'); // rounding unit
    await page.keyboard.press('Tab'); // discount limit
    await page.keyboard.press('Control+a');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('set-discount').inputValue(), { timeout: 10_000 }).toBe('5');

    await page.getByTestId('set-timeZone').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Mars/Olympus');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('body').textContent(), { timeout: 10_000 }).toContain('timeZone');
    await page.keyboard.press('Escape');

    const s = await settingsNow();
    expect(s.maxCashierDiscountPercent).toBe(5);
    expect(s.cashRounding.mode).toBe('down');
    expect(s.timeZone).toBe('Asia/Shanghai');
    await page.close();
  }, 120_000);
});
