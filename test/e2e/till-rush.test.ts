// The evening rush (issue 13): bugs found by working a shift, each replayed here in Chromium with
// the keys a cashier presses, against a real web host with the emulated receipt printer (which
// decodes the ESC/POS bytes, including the drawer kick). Set-up the cashier would not do by hand
// (a Z close before the test, a sale to return) goes through the core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import {
  asStaff,
  launchChromium,
  loginToTill,
  newTillPage,
  readyTill,
  scanIntoCart,
  typePin,
  wedgeScan,
  widenWedgeWindow,
} from './till-page';

type Host = Awaited<ReturnType<typeof startWebHost>>;
let host: Host;
let dataDir: string;
let browser: Browser;
let page: Page | null = null;
const items = demoProducts()
  .filter((p) => p.ean13 && p.unit === 'each')
  .slice(10, 13);
const fen = (n: number) => `¥${(n / 100).toFixed(2)}`;

const isFocused = (p: Page, testid: string) =>
  p
    .getByTestId(testid)
    .first()
    .evaluate((el) => el === document.activeElement);

/** Presses Tab until the element with `testid` has focus (at most `max` times). */
async function tabTo(p: Page, testid: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await isFocused(p, testid).catch(() => false)) return;
    await p.keyboard.press('Tab');
  }
  expect(await isFocused(p, testid)).toBe(true);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-rush-'));
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    devices: 'emulated',
    logger: pino({ level: 'silent' }),
  });
  await widenWedgeWindow(host.url);
  browser = await launchChromium();
});

afterEach(async () => {
  await page?.close();
  page = null;
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the evening rush, keys only', () => {
  it('item 1 + 2 + 18: a cash refund by keyboard prints a refund slip and kicks the drawer', async () => {
    await readyTill(host.core);
    const sold = await asStaff(host.core, '1234', async (call) => {
      for (const p of items.slice(0, 2)) await call('cart.scan', { code: p.ean13! });
      const { cart } = await call('cart.get', {});
      return call('cart.pay', { tenders: [{ type: 'cash', amount: cart.total }] });
    });
    const emulator = host.till.emulator!;
    // The sale's own receipt and kick first, so the counts below are the refund's.
    await expect.poll(() => emulator.receipts.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const kicksBefore = emulator.drawerKicks;
    const receiptsBefore = emulator.receipts.length;

    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.keyboard.press('F3');
    await page.getByTestId('returns-code-input').waitFor();
    await wedgeScan(page, sold.receipt.code);
    await page.getByTestId('return-sale').waitFor();
    // Tab to the first line's checkbox; Space ticks it (the scanner listener used to eat it).
    await tabTo(page, 'return-line-check');
    await page.keyboard.press('Space');
    expect(await page.getByTestId('return-line-check').first().isChecked()).toBe(true);
    await tabTo(page, 'return-reason');
    await page.keyboard.type('包装破损', { delay: 20 });
    await page.keyboard.press('Enter');
    // The manager types the PIN fast: it is a PIN, not a "scan" (item 18).
    await page.getByTestId('manager-pin-input').waitFor();
    await page.keyboard.type('8888', { delay: 1 });
    await page.keyboard.press('Enter');
    await page.getByTestId('return-result').waitFor();
    const amount = items[0]!.price;
    expect(await page.getByTestId('return-amount').textContent()).toBe(fen(amount));

    await expect.poll(() => emulator.receipts.length, { timeout: 20_000 }).toBe(receiptsBefore + 1);
    const slip = emulator.receipts.at(-1)!.text;
    expect(slip).toContain('退款单');
    expect(slip).toContain(sold.saleNumber);
    expect(slip).toContain(items[0]!.name);
    expect(slip).toContain((amount / 100).toFixed(2));
    expect(slip).toContain('张敏');
    expect(slip).toContain('包装破损');
    expect(emulator.drawerKicks).toBe(kicksBefore + 1);
  });

  it('item 2: in the discount dialog Tab + Space picks "amount", and Enter on a focused Cancel cancels', async () => {
    await readyTill(host.core);
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await scanIntoCart(page, items[2]!.ean13!);
    await page.keyboard.press('F6');
    await page.getByTestId('discount-dialog').waitFor();
    await tabTo(page, 'discount-kind-amount');
    await page.keyboard.press('Space');
    await expect.poll(() => page!.getByTestId('discount-kind-amount').getAttribute('class')).toBe('on');
    expect(await page.getByTestId('discount-dialog').count()).toBe(1);
    await tabTo(page, 'prompt-cancel');
    await page.keyboard.press('Enter');
    await page.getByTestId('discount-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-discount').textContent()).toBe(fen(0));
  });

  it('items 7, 8, 20: search then "3 *" sets the quantity; a payment code says to press F12; quick cash for what is left', async () => {
    await readyTill(host.core);
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    const p = items[0]!;
    // A WeChat payment code scanned before F12 (item 8): a plain hint, nothing added.
    await wedgeScan(page, '134567890123456789');
    const info = page.getByTestId('info-banner');
    await info.waitFor();
    expect(await info.textContent()).toBe('这是顾客的付款码：请先扫商品，再按 F12 收款');
    expect(await page.getByTestId('error-banner').count()).toBe(0);
    // Search by name, Enter adds, and focus is back on the cart (item 7): "3 *" is a quantity.
    await page.keyboard.press('F2');
    await page.keyboard.type(p.nameEn, { delay: 20 });
    await page.getByTestId('search-result').first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-line').first().waitFor();
    await page.keyboard.type('3', { delay: 20 });
    // The digit lands in the numpad entry, not in the search box.
    await expect.poll(() => page!.getByTestId('numpad-entry').locator('b').textContent()).toBe('3');
    await page.keyboard.press('*');
    await expect.poll(() => page!.getByTestId('cart-line-qty').first().textContent()).toBe('× 3');
    expect(await page.getByTestId('search-input').inputValue()).toBe('');
    await wedgeScan(page, '284567890123456789');
    await expect.poll(() => info.textContent()).toBe('这是顾客的付款码：请按 F12，再按 F3 后重新扫码');
    // Quick cash: the next round notes at or above the total (item 20).
    await page.keyboard.press('F11');
    await page.keyboard.press('F12');
    await page.getByTestId('tender-cash-input').waitFor();
    const total = p.price * 3;
    const quick = await page.locator('[data-testid^="tender-quick-"]').allTextContents();
    expect(quick.length).toBeGreaterThan(0);
    expect(quick[0]).toBe(fen(Math.ceil(total / 1000) * 1000));
    await page.keyboard.press('Escape');
  });

  it('item 3: after a Z close the next cashier cannot sell without opening the shift with a float', async () => {
    await readyTill(host.core);
    await asStaff(host.core, '8888', async (call) => {
      await call('shift.close', { countedCash: 50000 });
    });
    page = await newTillPage(browser, host.url);
    await typePin(page, '2345');
    // The float prompt: the cashier presses Esc and scans anyway.
    await page.getByTestId('shift-open-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shift-open-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('status-shift').getAttribute('data-open')).toBe('false');
    await scanIntoCart(page, items[1]!.ean13!);
    await page.keyboard.press('F12');
    // Paying asks for the float again; Esc refuses the payment visibly.
    await page.getByTestId('shift-open-dialog').waitFor();
    await page.keyboard.press('Escape');
    const err = page.getByTestId('error-banner');
    await err.waitFor();
    expect(await err.getAttribute('data-code')).toBe('SHIFT_NOT_OPEN');
    expect(await page.getByTestId('tender-cash-input').count()).toBe(0);
    expect((await asStaff(host.core, '2345', (call) => call('shift.current', {}))).shift).toBeNull();
    // F12 again, the float typed: the shift opens under this cashier and payment goes on.
    await page.keyboard.press('F12');
    await page.getByTestId('shift-float-input').waitFor();
    await page.keyboard.type('300', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.getByTestId('tender-cash-input').waitFor();
    expect(await page.getByTestId('status-shift').getAttribute('data-open')).toBe('true');
    const shift = (await asStaff(host.core, '2345', (call) => call('shift.current', {}))).shift;
    expect(shift).toMatchObject({ float: 30000, cashier: { name: '王伟' } });
  });
});
