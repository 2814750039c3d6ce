// Transfers (调拨) in the back office, in Chromium with the keyboard at 1024×768: the manager
// opens the Transfers tab, asks for other stores' stock (this till has no cloud: the prompt says
// so with STOCK_NEARBY_OFFLINE), then requests a transfer from store S001 with Insert; the list
// shows it as requested.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost } from '../../app/host';
import { launchChromium, loginToTill, newTillPage } from './till-page';

// Typed like a person: faster keys into a field are taken for a scanner burst (the wedge).
const HUMAN = { delay: 160 };

let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-transfers-'));
  host = await startWebHost({ port: 0, dataDir, seedDemo: true, logger: pino({ level: 'silent' }) });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('transfers tab', () => {
  it('looks up other stores (offline here) and requests a transfer, by keyboard', async () => {
    const page = await newTillPage(browser, host.url);
    await page.setViewportSize({ width: 1024, height: 768 });
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.getByTestId('bo-tab-transfers').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('transfers-view').waitFor();
    await page.getByTestId('tr-nearby').focus();

    await page.keyboard.press('n');
    await page.getByTestId('tr-nearby-sku').waitFor();
    await page.keyboard.type('100001', HUMAN);
    await page.keyboard.press('Enter');
    await page.getByTestId('prompt-error').waitFor();
    expect(await page.getByTestId('prompt-error').getAttribute('data-code')).toBe('STOCK_NEARBY_OFFLINE');
    await page.keyboard.press('Escape');

    await page.keyboard.press('Insert');
    await page.getByTestId('tr-from').waitFor();
    await page.getByTestId('tr-from').focus();
    await page.keyboard.type('S001', HUMAN);
    await page.getByTestId('tr-sku').focus();
    await page.keyboard.type('100001', HUMAN);
    await page.getByTestId('tr-quantity').focus();
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    const row = page.getByTestId('tr-row');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.getAttribute('data-status')).toBe('requested');
    expect(await row.textContent()).toContain('S001');
  }, 120_000);
});
