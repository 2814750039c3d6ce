// The evening rush, keyboard part (issue 13 items 9, 10, 12, 13, 18, 20): each case is what a
// cashier or manager does at 1024×768 with keys only, in Chromium against a real web host.
// Set-up the cashier would not do by hand (a long sale to return) goes through the core.
// Screenshots go to test-results/ for a person to look at.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
  wedgeScan,
  widenWedgeWindow,
} from './till-page';

type Host = Awaited<ReturnType<typeof startWebHost>>;
let host: Host;
const dataDirs: string[] = [];
let browser: Browser;
let page: Page | null = null;
const each = demoProducts().filter((p) => p.ean13 && p.unit === 'each');
const fen = (n: number) => `¥${(n / 100).toFixed(2)}`;
const toFen = (s: string | null) => Math.round(Number((s ?? '').replace(/[¥,\s]/g, '')) * 100);
const CJK = /[\u4e00-\u9fff]/;
const SHOTS = 'test-results';
// Keys a person types: slower than the (widened) wedge window, so never a "scan".
const HUMAN = { delay: 160 };

async function openHost(port = 0, dataDir?: string): Promise<{ host: Host; dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'pos-e2e-keys-'));
  if (!dataDir) dataDirs.push(dir);
  const h = await startWebHost({
    port,
    dataDir: dir,
    seedDemo: true,
    devices: 'emulated',
    // The sandbox gateway: its decline text ("余额不足（沙箱…）") must not reach the cashier.
    payments: 'sandbox',
    logger: pino({ level: 'silent' }),
  });
  if (!dataDir) await widenWedgeWindow(h.url);
  return { host: h, dataDir: dir };
}

/** On screen at this window size without scrolling, and not covered by anything. */
function onScreen(p: Page, testid: string): Promise<boolean> {
  return p
    .getByTestId(testid)
    .first()
    .evaluate((el) => {
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight || r.height === 0) return false;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return !!hit && (el === hit || el.contains(hit));
    });
}

const isFocused = (p: Page, testid: string) =>
  p
    .getByTestId(testid)
    .first()
    .evaluate((el) => el === document.activeElement);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  host = (await openHost()).host;
  browser = await launchChromium();
});

afterEach(async () => {
  await page?.close();
  page = null;
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
});

describe('the till by keyboard (issue 13)', () => {
  it('item 9: a split payment by keys — Enter takes part cash, F2 keeps typed cash, F4 adds the card', async () => {
    await readyTill(host.core);
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    let total = 0;
    for (let i = 0; total < 2500; i += 1) {
      await scanIntoCart(page, each[i]!.ean13!);
      total += each[i]!.price;
    }
    expect(toFen(await page.getByTestId('cart-total').textContent())).toBe(total);
    await page.keyboard.press('F12');
    await page.getByTestId('tender-cash-input').waitFor();
    // What is left shows before any tender is taken.
    expect(toFen(await page.getByTestId('pay-remaining').textContent())).toBe(total);
    // ¥10 cash and Enter: taken as part of the payment, with what is left said calmly.
    await page.keyboard.type('10', HUMAN);
    await page.keyboard.press('Enter');
    await page.getByTestId('pay-note').waitFor();
    expect(await page.getByTestId('pay-error').count()).toBe(0);
    expect(await page.getByTestId('tender-item').count()).toBe(1);
    await expect.poll(async () => toFen(await page!.getByTestId('pay-remaining').textContent())).toBe(total - 1000);
    expect(await page.getByTestId('pay-note').textContent()).toContain(fen(total - 1000));
    // ¥5 more cash typed, then F2 (card): the ¥5 joins the tenders instead of vanishing.
    await page.keyboard.type('5', HUMAN);
    await page.keyboard.press('F2');
    await page.getByTestId('tender-card-ref').waitFor();
    expect(await page.getByTestId('tender-item').count()).toBe(2);
    expect(await page.getByTestId('tender-item').nth(1).textContent()).toContain(fen(500));
    expect(toFen(await page.getByTestId('tender-amount-input').inputValue())).toBe(total - 1500);
    // ¥3 on the card: Shift+Tab to the amount, type it, Tab to the approval code, F4 adds it.
    await page.keyboard.press('Shift+Tab');
    expect(await isFocused(page, 'tender-amount-input')).toBe(true);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('3', HUMAN);
    await page.keyboard.press('Tab');
    expect(await isFocused(page, 'tender-card-ref')).toBe(true);
    await page.keyboard.type('AP9', HUMAN);
    await page.keyboard.press('F4');
    await expect.poll(() => page!.getByTestId('tender-item').count()).toBe(3);
    const left = total - 1800;
    await expect.poll(async () => toFen(await page!.getByTestId('pay-remaining').textContent())).toBe(left);
    await page.getByTestId('tender-cash-input').waitFor();
    await page.screenshot({ path: join(SHOTS, 'keys-split-tender-1024.png') });
    // The rest in cash: ¥100 and Enter completes with the change.
    await page.keyboard.type('100', HUMAN);
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-dialog').waitFor();
    expect(toFen(await page.getByTestId('change-amount').textContent())).toBe(10000 - left);
    const receipt = (await page.getByTestId('receipt-preview').textContent()) ?? '';
    expect(receipt).toContain('AP9');
    expect(receipt).toContain('3.00');
    await page.keyboard.press('Escape');
    await page.getByTestId('cart-empty').waitFor();
  });

  it('items 10 + 18: one language at a time, a decline without sandbox words, the manager prompt says it once and takes a fast PIN', async () => {
    await readyTill(host.core);
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    // An info line follows F11 while it is on screen.
    await wedgeScan(page, '134567890123456789');
    const info = page.getByTestId('info-banner');
    await info.waitFor();
    expect(await info.textContent()).toMatch(CJK);
    await page.keyboard.press('F11');
    await expect
      .poll(() => info.textContent())
      .toBe("That is a customer's payment code: scan the goods first, then F12 to take payment");
    // An error in English is English only.
    await wedgeScan(page, '6901234567892');
    const err = page.getByTestId('error-message');
    await err.waitFor();
    expect(await err.textContent()).not.toMatch(CJK);
    await page.keyboard.press('F11');
    await expect.poll(() => err.textContent()).toMatch(CJK);
    expect(await err.textContent()).not.toMatch(/[A-Za-z]{4,}/);
    // A line discount over the cashier's limit: the manager prompt, said once, in Chinese.
    await scanIntoCart(page, each[3]!.ean13!);
    await page.keyboard.press('F6');
    await page.getByTestId('discount-value').waitFor();
    await page.keyboard.type('90', HUMAN);
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('manager-dialog');
    await dialog.waitFor();
    const words = (await dialog.textContent()) ?? '';
    expect(words.match(/店长授权/g)).toHaveLength(1);
    expect(words).not.toMatch(/Manager approval/);
    // The manager types the PIN as fast as a scanner would: it is a PIN (item 18).
    await page.keyboard.type('8888', { delay: 0 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => toFen(await page!.getByTestId('cart-discount').textContent())).toBeLessThan(0);
    // A declined payment code: what to do, no gateway or sandbox words.
    await page.keyboard.press('F12');
    await page.getByTestId('pay-dialog').waitFor();
    await wedgeScan(page, '134567890123450000');
    const declined = page.locator('[data-testid="pay-error"][data-code="PAYMENT_DECLINED"]');
    await declined.waitFor({ timeout: 20_000 });
    expect(await declined.textContent()).not.toMatch(/sandbox|沙箱|0000/i);
    expect(await declined.textContent()).toMatch(CJK);
    await page.screenshot({ path: join(SHOTS, 'keys-decline-zh-1024.png') });
    await page.keyboard.press('Escape');
  });

  it('item 13: at 1024×768 the Returns reason and 退款 button are on screen, however long the receipt', async () => {
    await readyTill(host.core);
    const sold = await asStaff(host.core, '1234', async (call) => {
      for (const p of each.slice(0, 14)) await call('cart.scan', { code: p.ean13! });
      const { cart } = await call('cart.get', {});
      return call('cart.pay', { tenders: [{ type: 'cash', amount: cart.total + 10000 }] });
    });
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.keyboard.press('F3');
    await page.getByTestId('returns-code-input').waitFor();
    await wedgeScan(page, sold.receipt.code);
    await page.getByTestId('return-sale').waitFor();
    expect(await page.getByTestId('return-line').count()).toBe(14);
    expect(await onScreen(page, 'return-reason')).toBe(true);
    expect(await onScreen(page, 'return-submit')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'keys-returns-long-1024.png') });
  });

  it('item 13: the Z close — typed digits land in counted cash (F9 brings focus back), over/short on screen', async () => {
    await readyTill(host.core);
    await asStaff(host.core, '1234', async (call) => {
      await call('cart.scan', { code: each[5]!.ean13! });
      const { cart } = await call('cart.get', {});
      await call('cart.pay', { tenders: [{ type: 'cash', amount: cart.total }] });
    });
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.keyboard.press('F10');
    const counted = page.getByTestId('shift-counted-input');
    await counted.waitFor();
    // The field has focus when the screen opens: digits typed go into it.
    await page.keyboard.type('6', HUMAN);
    expect(await counted.inputValue()).toBe('6');
    // Tab away (the cashier looked at the buttons), F9 and the rest of the count lands there too.
    await page.keyboard.press('Tab');
    expect(await isFocused(page, 'shift-counted-input')).toBe(false);
    await page.keyboard.press('F9');
    expect(await isFocused(page, 'shift-counted-input')).toBe(true);
    await page.keyboard.type('00', HUMAN);
    expect(await counted.inputValue()).toBe('600');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="report-view"][data-kind="Z"]').waitFor();
    expect(await onScreen(page, 'report-counted')).toBe(true);
    expect(await onScreen(page, 'report-over-short')).toBe(true);
    expect(await page.getByTestId('report-counted').textContent()).toBe(fen(60000));
    const expected = toFen(await page.getByTestId('report-expected').textContent());
    expect(toFen(await page.getByTestId('report-over-short').textContent())).toBe(60000 - expected);
    await page.screenshot({ path: join(SHOTS, 'keys-z-report-1024.png') });
  });

  it('item 20: "1 item", a refused PIN named in words, Returns in English keep the Chinese names, zh-CN in words and full-width brackets', async () => {
    await readyTill(host.core);
    const p = each[7]!;
    const sold = await asStaff(host.core, '1234', async (call) => {
      await call('cart.scan', { code: p.ean13! });
      const { cart } = await call('cart.get', {});
      return call('cart.pay', { tenders: [{ type: 'cash', amount: cart.total }] });
    });
    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.keyboard.press('F11');
    await expect.poll(() => page!.getByTestId('pay-button').textContent()).toContain('Pay');
    await scanIntoCart(page, p.ean13!);
    expect(await page.locator('.totals .items').textContent()).toBe('1 item');
    // A PIN too short for the schema: the field as the screen calls it, never `managerPin`.
    await page.keyboard.press('F6');
    await page.getByTestId('discount-value').waitFor();
    await page.keyboard.type('90', HUMAN);
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-pin-input').waitFor();
    await page.keyboard.type('12', HUMAN);
    await page.keyboard.press('Enter');
    const refused = page.getByTestId('prompt-error');
    await refused.waitFor();
    expect(await refused.textContent()).toBe('Please check: Manager PIN');
    await page.keyboard.press('Escape');
    await page.getByTestId('manager-dialog').waitFor({ state: 'detached' });
    // Returns in English: the English name with the Chinese one the shelf label and receipt use.
    await page.keyboard.press('F3');
    await page.getByTestId('returns-code-input').waitFor();
    await wedgeScan(page, sold.receipt.code);
    await page.getByTestId('return-sale').waitFor();
    expect(await page.getByTestId('return-line-name').first().textContent()).toBe(`${p.nameEn} · ${p.name}`);
    await page.screenshot({ path: join(SHOTS, 'keys-returns-en-1024.png') });
    // Back in Chinese: the sync state in words, brackets full-width.
    await page.keyboard.press('F11');
    await page.keyboard.press('Escape');
    await page.getByTestId('cart').waitFor();
    expect(await page.getByTestId('status-sync').textContent()).toMatch(CJK);
    expect(await page.getByTestId('qty-button').textContent()).toBe('数量（F4 或 *）');
    expect(await page.getByTestId('drawer-button').textContent()).toBe('开钱箱（Alt+O）');
  });

  it('item 12: the till host restarts — "till service restarting", the scan typed meanwhile is kept and added', async () => {
    const first = await openHost();
    let own: Host | null = first.host;
    try {
      const port = Number(new URL(own.url).port);
      page = await newTillPage(browser, own.url);
      await loginToTill(page, '1234');
      await scanIntoCart(page, each[0]!.ean13!);
      await own.close();
      own = null;
      const downAt = Date.now();
      // The bar turns as soon as the event stream drops, before any call fails.
      await expect
        .poll(() => page!.getByTestId('status-online').getAttribute('data-online'), { timeout: 5000 })
        .toBe('false');
      const noticedMs = Date.now() - downAt;
      expect(await page.getByTestId('offline-banner').textContent()).toBe('收银服务重启中…');
      await wedgeScan(page, each[1]!.ean13!);
      const queue = page.getByTestId('scan-queue');
      await queue.waitFor();
      expect(await queue.getAttribute('data-count')).toBe('1');
      expect(await page.getByTestId('error-banner').count()).toBe(0);
      expect(await page.getByTestId('cart-line').count()).toBe(1);
      // F12 now would take money for half the sale: refused with a word.
      await page.keyboard.press('F12');
      expect(await page.getByTestId('pay-dialog').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'keys-host-restarting-1024.png') });
      // The host is back on the same port and data: the kept scan lands in the cart by itself.
      own = (await openHost(port, first.dataDir)).host;
      const upAt = Date.now();
      await expect.poll(() => page!.getByTestId('cart-line').count(), { timeout: 15_000 }).toBe(2);
      const replayMs = Date.now() - upAt;
      await queue.waitFor({ state: 'detached' });
      expect(await page.getByTestId('status-online').getAttribute('data-online')).toBe('true');
      console.log(JSON.stringify({ hostDownNoticedMs: noticedMs, queuedScanReplayedMs: replayMs }));
    } finally {
      await own?.close();
    }
  });
});
