// The till UI with its devices: paying in Chromium prints a receipt that the printer emulator
// decodes back to the right lines and total; the reprint button prints a marked copy; a printer
// problem shows in the status bar in plain words; a hardware scanner's scan lands in the cart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import { launchChromium, loginToTill, newTillPage, scanIntoCart, widenWedgeWindow } from './till-page';

let host: Awaited<ReturnType<typeof startWebHost>>;
let dataDir: string;
let browser: Browser;
let page: Page;
const items = demoProducts()
  .filter((p) => p.ean13 && p.unit === 'each')
  .slice(5, 7);

function nextReceipt(timeoutMs = 20_000): Promise<{ text: string }> {
  const emulator = host.till.emulator!;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no receipt reached the printer emulator')), timeoutMs);
    emulator.once('receipt', (r: { text: string }) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-devices-'));
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    devices: 'emulated',
    logger: pino({ level: 'silent' }),
  });
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

describe('till UI with the printer emulator', () => {
  it('prints the paid sale: the emulator decodes the right lines and total', async () => {
    for (const p of items) await scanIntoCart(page, p.ean13!);
    const total = items.reduce((s, p) => s + p.price, 0);
    const printed = nextReceipt();
    await page.keyboard.press('F12');
    const cash = page.getByTestId('tender-cash-input');
    await cash.waitFor();
    await cash.fill('200');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-dialog').waitFor();
    const paper = (await printed).text;
    for (const p of items) expect(paper).toContain(p.name);
    expect(paper).toContain((total / 100).toFixed(2));
    expect(paper).toContain('200.00');
    expect(paper).toContain(((20000 - total) / 100).toFixed(2));

    const reprinted = nextReceipt();
    await page.getByTestId('reprint-button').click();
    expect((await reprinted).text).toContain('REPRINT');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-dialog').waitFor({ state: 'detached' });
  });

  it('tells the cashier in plain words when the printer cover is open, and clears it when closed', async () => {
    host.till.emulator!.setStatus({ coverOpen: true });
    const warning = page.locator('[data-testid="status-device"][data-device="receipt-printer"]');
    await warning.waitFor({ timeout: 15_000 });
    expect(await warning.textContent()).toMatch(/cover|盖/i);
    host.till.emulator!.setStatus({ coverOpen: false });
    await warning.waitFor({ state: 'detached', timeout: 15_000 });
  });

  it('adds a scan from a hardware scanner the till reads directly', async () => {
    const p = items[0]!;
    const before = await page.getByTestId('cart-line').count();
    host.till.hub!.emit('scan', {
      data: p.ean13!,
      symbology: ']E0',
      symbologyName: 'EAN-13',
      source: 'scanner-1',
      at: new Date().toISOString(),
    });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="cart-line"]').length > n, before, {
      timeout: 10_000,
    });
    expect(await page.getByTestId('cart-line').last().textContent()).toContain(p.name);
  });
});
