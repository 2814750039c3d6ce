// The till UI with a scale: a technician adds the scale (on a real PTY pair, socat) on the setup
// screen, which lists the devices with their status, and runs a test print; then a cashier in
// Chromium picks loose items from the search — the weight comes from the scale emulator and the
// cart line shows it with its price, F4 weighs the line again (a scale label with the weight in its barcode still adds at
// once, without weighing); an unstable scale offers "try again", a silent scale falls back to
// typing the weight; Alt+O opens the drawer with a manager PIN and the printer emulator
// receives the kick.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import { createPtyPair, ScaleEmulator, type PtyPair } from '../../drivers';
import { launchChromium, loginToTill, newTillPage, typePin, wedgeScan, widenWedgeWindow } from './till-page';

let host: Awaited<ReturnType<typeof startWebHost>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let pty: PtyPair;
let scale: ScaleEmulator;
const loose = demoProducts().filter((p) => p.unit === 'weighed' && p.plu);
const fen = (n: number) => `¥${Math.floor(n / 100).toLocaleString('en-US')}.${String(n % 100).padStart(2, '0')}`;
/** GS1 mod-10 check (weights 3,1,3,… from the right) appended to any number of digits. */
const withCheck = (d: string) =>
  d + String((10 - ([...d].reverse().reduce((s, c, i) => s + Number(c) * (i % 2 ? 1 : 3), 0) % 10)) % 10);
const lineOf = (sku: string) => page.locator(`[data-testid="cart-line"][data-sku="${sku}"]`);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-scale-'));
  pty = await createPtyPair();
  scale = new ScaleEmulator(pty.a);
  await scale.open();
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
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await scale?.close();
  await pty?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('till UI with a scale', () => {
  it('setup screen: lists the devices, a technician adds the scale by keyboard and runs a test print', async () => {
    await typePin(page, '7777');
    const printerRow = page.locator('[data-testid="setup-device"][data-device="receipt-printer"]');
    await printerRow.waitFor({ timeout: 20_000 });
    expect(await printerRow.getAttribute('data-kind')).toBe('printer');
    await printerRow.getByTestId('setup-device-emulated').waitFor();
    await page
      .locator('[data-testid="setup-device"][data-device="receipt-printer"][data-status="ok"]')
      .waitFor({ timeout: 20_000 });

    // A typo is refused inside the form, which stays open with the reason.
    await page.keyboard.press('Insert');
    await page.getByTestId('device-form').waitFor();
    await page.getByTestId('device-kind').selectOption('scale');
    await page.getByTestId('device-id').fill('scale');
    await page.getByTestId('device-uri').fill(`serial:${pty.b}?baud=1234`);
    await page.keyboard.press('Enter');
    const formError = page.getByTestId('device-form-error');
    await formError.waitFor();
    expect(await formError.getAttribute('data-code')).toBe('BAD_INPUT');
    expect(await formError.textContent()).toContain('baud must be one of');
    await page.getByTestId('device-uri').fill(`serial:${pty.b}?baud=9600`);
    await page.keyboard.press('Enter');
    await page.getByTestId('device-form').waitFor({ state: 'detached' });
    await page
      .locator('[data-testid="setup-device"][data-device="scale"][data-configured="true"][data-status="ok"]')
      .waitFor({ timeout: 20_000 });

    const printed = new Promise<{ text: string }>((resolve) => host.till.emulator!.once('receipt', resolve));
    await page.keyboard.press('F6');
    await page.getByTestId('info-banner').waitFor();
    expect((await printed).text).toContain('TEST PRINT');

    await page.getByTestId('logout-button').click();
    await page.getByTestId('pin-input').waitFor();
  });

  it('a loose item chosen from the search takes its weight from the scale; the line shows weight and price', async () => {
    await loginToTill(page, '1234', '500');
    const p = loose[0]!;
    scale.setWeight(1234);
    await page.keyboard.press('F2');
    await page.getByTestId('search-input').fill(p.name);
    await page.locator(`[data-testid="search-result"][data-sku="${p.sku}"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('weigh-dialog').waitFor();
    const grams = page.getByTestId('weigh-grams');
    await grams.waitFor({ timeout: 15_000 });
    expect(await grams.getAttribute('data-grams')).toBe('1234');
    const price = Math.round((1234 * p.price) / 1000);
    expect(await page.getByTestId('weigh-price').textContent()).toBe(fen(price));
    await page.keyboard.press('Enter');
    await lineOf(p.sku).waitFor();
    expect(await lineOf(p.sku).getByTestId('cart-line-qty').textContent()).toBe('1.234 kg');
    expect(await lineOf(p.sku).getByTestId('cart-line-total').textContent()).toBe(fen(price));

    // F4 on the selected loose line weighs it again.
    scale.setWeight(1500);
    await page.keyboard.press('F4');
    await page.locator('[data-testid="weigh-grams"][data-grams="1500"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => lineOf(p.sku).getByTestId('cart-line-qty').textContent(), { timeout: 15_000 })
      .toBe('1.500 kg');
    expect(await lineOf(p.sku).getByTestId('cart-line-total').textContent()).toBe(
      fen(Math.round((1500 * p.price) / 1000)),
    );

    // A label printed by the deli scale carries its weight: it adds at once, no weighing.
    const labelled = loose[3]!;
    const amount = String(Math.round((456 * labelled.price) / 1000)).padStart(5, '0');
    // The 18-digit label of a Chinese scale: 26 + PLU + amount + weight + check.
    await wedgeScan(page, withCheck(`26${labelled.plu}${amount}00456`));
    await lineOf(labelled.sku).waitFor();
    expect(await lineOf(labelled.sku).getByTestId('cart-line-qty').textContent()).toBe('0.456 kg');
    expect(await page.getByTestId('weigh-dialog').count()).toBe(0);
  });

  it('an unstable scale says so and weighs again on Enter; a silent scale falls back to typing the weight', async () => {
    const p = loose[1]!;
    scale.setWeight(800, false);
    await page.keyboard.press('F2');
    await page.getByTestId('search-input').fill(p.name);
    await page.locator(`[data-testid="search-result"][data-sku="${p.sku}"]`).waitFor();
    await page.keyboard.press('Enter');
    const problem = page.getByTestId('weigh-error');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.getAttribute('data-code')).toBe('WEIGHT_UNSTABLE');
    expect(await problem.textContent()).toContain('重量不稳定'); // the till's language (zh-CN), from the code
    scale.setWeight(800, true);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="weigh-grams"][data-grams="800"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await lineOf(p.sku).waitFor();
    expect(await lineOf(p.sku).getByTestId('cart-line-qty').textContent()).toBe('0.800 kg');
    expect(await lineOf(p.sku).getByTestId('cart-line-total').textContent()).toBe(
      fen(Math.round((800 * p.price) / 1000)),
    );

    const q = loose[2]!;
    scale.silent = true;
    await page.keyboard.press('F2');
    await page.getByTestId('search-input').fill(q.name);
    await page.locator(`[data-testid="search-result"][data-sku="${q.sku}"]`).click();
    const typed = page.getByTestId('weight-input');
    await typed.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('weight-dialog').textContent()).toContain('电子秤无响应');
    await typed.fill('300');
    await page.keyboard.press('Enter');
    await lineOf(q.sku).waitFor();
    expect(await lineOf(q.sku).getByTestId('cart-line-qty').textContent()).toBe('0.300 kg');
    scale.silent = false;
  });

  it('Alt+O opens the drawer without a sale: reason, manager PIN, and the printer receives the kick', async () => {
    const kicks = host.till.emulator!.drawerKicks;
    const kicked = new Promise((resolve) => host.till.emulator!.once('drawer', resolve));
    await page.keyboard.press('Alt+o');
    // 1 = the store's first preset no-sale reason (兑换零钱).
    await page.getByTestId('reason-list').waitFor();
    await page.keyboard.press('1');
    await page.getByTestId('manager-pin-input').fill('8888');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-dialog').waitFor({ state: 'detached' });
    await kicked;
    expect(host.till.emulator!.drawerKicks).toBe(kicks + 1);
    await page.getByTestId('info-banner').waitFor();
  });

  it('setup screen: a technician opens the drawer with a manager PIN and removes the scale by keyboard', async () => {
    await page.getByTestId('logout-button').click();
    await typePin(page, '7777');
    const scaleRow = page.locator('[data-testid="setup-device"][data-device="scale"][data-configured="true"]');
    await scaleRow.waitFor({ timeout: 20_000 });

    const kicked = new Promise((resolve) => host.till.emulator!.once('drawer', resolve));
    await page.keyboard.press('F7');
    await page.getByTestId('manager-pin-input').fill('8888');
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-dialog').waitFor({ state: 'detached' });
    await kicked;

    await page.locator('[data-testid="setup-device"][aria-selected="true"]').waitFor();
    for (let i = 0; i < 5 && (await scaleRow.getAttribute('aria-selected')) !== 'true'; i++)
      await page.keyboard.press('ArrowDown');
    expect(await scaleRow.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Delete');
    await page.getByTestId('device-remove-dialog').waitFor();
    await page.keyboard.press('Enter');
    await scaleRow.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="setup-device"][data-device="receipt-printer"]').count()).toBe(1);
  });
});
