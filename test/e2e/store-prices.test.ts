// Store prices in the back office, in Chromium, with the keyboard at 1024×768: the manager opens
// Promotions, types a product and its new price, and sets it with "Set price and print labels";
// the label emulator (the till's POS_LABEL_PRINTER) receives the shelf label with the new price,
// and the rules list shows the change. The PLU file button saves the scales' file (GB18030).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelPrinterEmulator } from '../../drivers';
import { startWebHost } from '../../app/host';
import { launchChromium, loginToTill, newTillPage } from './till-page';

let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
let dataDir: string;
let emulator: LabelPrinterEmulator;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-prices-'));
  emulator = new LabelPrinterEmulator({ port: 0 });
  await emulator.start();
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    logger: pino({ level: 'silent' }),
    labelPrinter: { uri: emulator.uri!, language: 'tspl' },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('store price form', () => {
  it('sets a price and prints its shelf label, by keyboard', async () => {
    const page = await newTillPage(browser, host.url);
    await page.setViewportSize({ width: 1024, height: 768 });
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.getByTestId('bo-tab-pricing').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('price-sku').focus();
    await page.keyboard.type('100001');
    await page.keyboard.press('Tab'); // category
    await page.keyboard.press('Tab'); // price
    await page.keyboard.type('9.90');
    await page.getByTestId('price-submit-print').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => emulator.labels.length, { timeout: 15_000 }).toBe(1);
    const texts = emulator.labels[0]!.job.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : []));
    expect(texts).toContain('￥9.90');
    const row = page.locator('[data-testid="rule-row"][data-rule-id^="sp-"]');
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain('100001');
    await page.close();
  }, 120_000);

  it('exports the PLU file for the label scales with the button', async () => {
    const page = await newTillPage(browser, host.url);
    await loginToTill(page, '8888');
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-sales').waitFor();
    await page.getByTestId('bo-tab-pricing').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('plu-brand').selectOption('aclas');
    const saved = page.waitForEvent('download');
    await page.getByTestId('plu-export').click();
    const download = await saved;
    expect(download.suggestedFilename()).toMatch(/^plu-aclas-.+\.csv$/);
    const text = iconv.decode(readFileSync((await download.path())!), 'gb18030');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('PLU,货号,品名,单价(元),计价方式,保质期(天),条码标识');
    expect(lines.some((l) => l.startsWith('01202,101202,'))).toBe(true); // loose apples, weighed, flag 21
    await page.close();
  }, 120_000);
});
