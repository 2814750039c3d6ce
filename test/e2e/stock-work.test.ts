// Stock work screens in Chromium, by keyboard (issue 17), against a real web host (SQLite, the
// ESC/POS printer emulator on TCP, the scale emulator on a socat PTY pair):
//  - receiving (收货) at 1024×768 against a purchase order: a scanned line and a weighed line
//    whose weight comes from the scale, with unit costs; variance against the order on screen;
//    the receiving note decoded by the printer emulator; the ledger and the order afterwards;
//  - waste (报损): the value at cost shown, the warning and confirmation when writing off more
//    than on hand, the ledger afterwards;
//  - a stocktake (盘点): the manager starts it by category in the back office, a cashier counts
//    on a phone-sized page (390×844, /#count, PIN login, codes typed like a wedge scanner), the
//    manager reads the variance and posts; the ledger is checked through the RPC;
//  - waste on the phone page by a cashier: above the store's limit the manager-approval prompt.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import { createPtyPair, ScaleEmulator, type PtyPair } from '../../drivers';
import { launchChromium, loginToTill, newTillPage, typePin, wedgeScan, widenWedgeWindow } from './till-page';

// Typed like a person: faster keys into a field are taken for a scanner burst (the wedge).
const HUMAN = { delay: 160 };
const products = demoProducts();
const milk = products.find((p) => p.nameEn === 'Organic Milk 1L')!;
const yogurt = products.find((p) => p.category === 'dairy' && p.sku !== milk.sku && p.ean13)!;
const otherDairy = products.find((p) => p.category === 'dairy' && p.sku !== milk.sku && p.sku !== yogurt.sku)!;
const cola = products.find((p) => p.nameEn === 'Coca-Cola 330ml')!;
const bananas = products.find((p) => p.nameEn === 'Loose Bananas')!;

let host: Awaited<ReturnType<typeof startWebHost>>;
let browser: Browser;
let dataDir: string;
let pty: PtyPair;
let scale: ScaleEmulator;
let manager: string;
let page: Page;

async function rpc<T = Record<string, unknown>>(method: string, input: unknown, token?: string): Promise<T> {
  const res = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const json = (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
  if (!json.ok) throw new Error(`${method}: ${json.error?.code} ${json.error?.message}`);
  return json as unknown as T;
}
const onHand = async (sku: string) => (await rpc<{ onHand: number }>('stock.get', { sku }, manager)).onHand;

/** Opens a back-office tab by keyboard: focus its button, Enter. */
async function openTab(p: Page, tab: string, view: string): Promise<void> {
  await p.getByTestId(`bo-tab-${tab}`).focus();
  await p.keyboard.press('Enter');
  await p.getByTestId(view).waitFor();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-stock-'));
  pty = await createPtyPair();
  scale = new ScaleEmulator(pty.a);
  await scale.open();
  host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    devices: 'emulated',
    scale: `serial:${pty.b}?baud=9600`,
    logger: pino({ level: 'silent' }),
  });
  await widenWedgeWindow(host.url);
  manager = (await rpc<{ token: string }>('auth.login', { pin: '8888' })).token;
  browser = await launchChromium();
  page = await newTillPage(browser, host.url);
  await loginToTill(page, '8888');
  await page.keyboard.press('Alt+b');
  await page.getByTestId('bo-tab-sales').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await scale?.close();
  await pty?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('stock work screens', () => {
  it('receives against a purchase order: a scan and a weighed line from the scale; the note is printed', async () => {
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const { order } = await rpc<{ order: { id: string } }>(
      'replenishment.submit',
      {
        day,
        lines: [
          { sku: milk.sku, quantity: 12 },
          { sku: yogurt.sku, quantity: 6 },
          { sku: bananas.sku, quantity: 20_000 },
        ],
      },
      manager,
    );
    const milkBefore = await onHand(milk.sku);
    const bananasBefore = await onHand(bananas.sku);
    const emulator = host.till.emulator!;
    const printedBefore = emulator.receipts.length;

    // The open orders answer slowly (1.5 s); P straight away still lists them (it waits).
    const slowOrders = async (route: Route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    };
    await page.route('**/api/replenishment.orders', slowOrders);
    await openTab(page, 'receiving', 'receiving-view');
    await page.keyboard.press('p');
    await page.getByTestId('rc-po-dialog').waitFor();
    await page.unroute('**/api/replenishment.orders', slowOrders);
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId(`rc-po-${order.id}`).getAttribute('class')).toContain('on');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('rc-line').count()).toBe(3);
    expect(await page.getByTestId('rc-po-current').getAttribute('data-po')).toBe(order.id);

    // Milk by scan: 10 of the 12 ordered, ¥9.50 each.
    await wedgeScan(page, milk.ean13!);
    await page.getByTestId('rc-line-dialog').waitFor();
    await page.keyboard.type('10', HUMAN);
    await page.keyboard.press('Tab');
    await page.keyboard.type('9.50', HUMAN);
    await page.keyboard.press('Enter');
    const milkLine = page.locator(`[data-testid="rc-line"][data-sku="${milk.sku}"]`);
    await expect.poll(() => milkLine.getAttribute('data-variance')).toBe('-2');

    // Bananas by search (F2), weighed on the scale: 20.350 kg at ¥4.20/kg.
    scale.setWeight(20_350);
    await page.keyboard.press('F2');
    await page.keyboard.type('Loose Banan', HUMAN);
    await page.getByTestId('search-result').first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="weigh-grams"][data-grams="20350"]').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.getByTestId('rc-line-dialog').waitFor();
    expect(await page.getByTestId('rc-quantity').inputValue()).toBe('20350');
    await page.keyboard.press('Tab');
    await page.keyboard.type('4.20', HUMAN);
    await page.keyboard.press('Enter');
    const bananaLine = page.locator(`[data-testid="rc-line"][data-sku="${bananas.sku}"]`);
    await expect.poll(() => bananaLine.getAttribute('data-variance')).toBe('350');
    // 10 × 9.50 + 20.350 kg × 4.20 = 95.00 + 85.47
    expect(await page.getByTestId('rc-total').textContent()).toBe('¥180.47');

    await page.keyboard.press('Control+Enter');
    const done = page.getByTestId('rc-done');
    await done.waitFor({ timeout: 20_000 });
    expect(await done.getAttribute('data-printed')).toBe('true');

    // The ledger and the order, through the RPC.
    expect(await onHand(milk.sku)).toBe(milkBefore + 10);
    expect(await onHand(bananas.sku)).toBe(bananasBefore + 20_350);
    const { orders } = await rpc<{
      orders: { id: string; status: string; lines: { sku: string; received: number }[] }[];
    }>('replenishment.orders', { limit: 20 }, manager);
    const po = orders.find((o) => o.id === order.id)!;
    expect(po.status).toBe('partly_received');
    expect(Object.fromEntries(po.lines.map((l) => [l.sku, l.received]))).toEqual({
      [milk.sku]: 10,
      [yogurt.sku]: 0,
      [bananas.sku]: 20_350,
    });
    // The receiving note on paper, decoded by the printer emulator.
    await expect.poll(() => emulator.receipts.length, { timeout: 20_000 }).toBe(printedBefore + 1);
    const paper = emulator.receipts.at(-1)!.text;
    expect(paper).toContain('收货单');
    expect(paper).toContain(milk.name);
    expect(paper).toContain('订 x 12 短 x 2');
    expect(paper).toContain('多 0.350kg');
    expect(paper.slice(paper.indexOf('未到货'))).toContain(yogurt.name);
    expect(paper).toContain('180.47');
  }, 180_000);

  it('writes off more than on hand: value at cost shown, a warning, a confirmation, the ledger', async () => {
    await openTab(page, 'waste', 'waste-view');
    const before = await onHand(milk.sku);
    await wedgeScan(page, milk.ean13!);
    await page.locator(`[data-testid="ws-on-hand"][data-on-hand="${before}"]`).waitFor();
    const quantity = before + 2;
    await page.keyboard.type(String(quantity), HUMAN);
    // Milk was just received at ¥9.50: the write-off is valued at that cost.
    await expect.poll(() => page.getByTestId('ws-value').getAttribute('data-value')).toBe(String(950 * quantity));
    await page.getByTestId('ws-over-stock').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('ws-reason-damaged').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Enter');
    await page.getByTestId('ws-confirm-dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('ws-recent-row').waitFor({ timeout: 20_000 });

    expect(await onHand(milk.sku)).toBe(-2);
    const { entries } = await rpc<{ entries: { action: string; detail: Record<string, unknown> }[] }>(
      'audit.list',
      {},
      manager,
    );
    expect(entries.find((e) => e.action === 'stock.waste')?.detail).toMatchObject({
      sku: milk.sku,
      quantity,
      reason: 'damaged',
      cost: 950 * quantity,
      shortage: true,
    });
  }, 120_000);

  it('a stocktake: started by category in the back office, counted on a phone, posted after the variance', async () => {
    // The list of sheets and categories answers slowly (1.5 s); Insert straight away still offers
    // the categories (it waits for them).
    const slowList = async (route: Route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    };
    await page.route('**/api/stocktake.list', slowList);
    await openTab(page, 'stocktake', 'stocktake-view');
    await page.keyboard.press('Insert');
    await page.getByTestId('st-start-dialog').waitFor();
    await page.getByTestId('st-category-dairy').click();
    await page.unroute('**/api/stocktake.list', slowList);
    await page.keyboard.press('Enter');
    const sheet = page.getByTestId('count-sheet');
    await sheet.waitFor();
    const stocktakeId = (await sheet.getAttribute('data-stocktake'))!;
    const otherBefore = await onHand(otherDairy.sku);

    // A cashier on a phone: the counting page of the same till, PIN login, one column.
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    try {
      const phone = await phoneContext.newPage();
      // A slow store Wi-Fi: the sheet's lines arrive 1.5 s after it opens.
      await phone.route('**/api/stocktake.sheet', async (route) => {
        await new Promise((r) => setTimeout(r, 1_500));
        await route.continue();
      });
      await phone.goto(`${host.url}/#count`);
      await phone.getByTestId('pin-input').waitFor();
      await typePin(phone, '1234');
      await phone.locator(`[data-testid="count-open-sheet"][data-id="${stocktakeId}"]`).tap();
      // No code field until the lines are here (a code scanned earlier would be "not on the sheet").
      await phone.getByTestId('count-loading').waitFor();
      expect(await phone.getByTestId('count-code').count()).toBe(0);
      await phone.getByTestId('count-code').waitFor();
      // Blind: the sheet shows what to count, never a level.
      expect(await phone.getByTestId('count-line').count()).toBe(products.filter((p) => p.category === 'dairy').length);
      expect(await phone.locator('[data-testid="count-line"][data-counted=""]').count()).toBe(
        await phone.getByTestId('count-line').count(),
      );

      const count = async (code: string, n: string, add = false) => {
        await phone.getByTestId('count-code').focus();
        await phone.keyboard.type(code, { delay: 20 });
        await phone.keyboard.press('Enter');
        await phone.getByTestId('count-amount').waitFor();
        if (add) await phone.getByTestId('count-add').tap();
        await phone.getByTestId('count-amount').focus();
        await phone.keyboard.type(n, { delay: 20 });
        await phone.keyboard.press('Enter');
        await phone.getByTestId('count-code').waitFor();
      };
      await count(milk.ean13!, '7');
      await count(yogurt.sku, '3');
      // Two more milk found on the back shelf: added to the earlier count.
      await count(milk.ean13!, '2', true);
      const milkRow = phone.locator(`[data-testid="count-line"][data-sku="${milk.sku}"]`);
      expect(await milkRow.getAttribute('data-counted')).toBe('9');
      expect(
        await phone.locator(`[data-testid="count-line"][data-sku="${yogurt.sku}"]`).getAttribute('data-counted'),
      ).toBe('3');
      // A product of another category is not on this sheet: said so, nothing counted.
      await phone.getByTestId('count-code').focus();
      await phone.keyboard.type(cola.ean13!, { delay: 20 });
      await phone.keyboard.press('Enter');
      expect(await phone.getByTestId('error-banner').getAttribute('data-code')).toBe('NOT_FOUND');
      // One column that fits the phone: nothing to scroll sideways.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phoneContext.close();
    }

    // The manager reads the variance (F4) and posts (Ctrl+Enter, confirmed with Enter).
    await page.keyboard.press('F4');
    const milkVariance = page.locator(`[data-testid="st-variance-row"][data-sku="${milk.sku}"]`);
    await milkVariance.waitFor();
    expect(await milkVariance.getAttribute('data-variance')).toBe(String(9 - -2));
    expect(await page.getByTestId('st-variance-row').count()).toBe(2);
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('st-post-dialog').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('st-post-dialog').waitFor({ state: 'detached', timeout: 20_000 });

    expect(await onHand(milk.sku)).toBe(9);
    expect(await onHand(yogurt.sku)).toBe(3);
    // On the sheet but nobody counted it: untouched.
    expect(await onHand(otherDairy.sku)).toBe(otherBefore);
    const { stocktakes } = await rpc<{ stocktakes: { id: string; status: string; counted: number }[] }>(
      'stocktake.list',
      {},
      manager,
    );
    expect(stocktakes.find((s) => s.id === stocktakeId)).toMatchObject({ status: 'posted', counted: 2 });
  }, 180_000);

  it('a cashier writes off on the phone page: above the store limit a manager approves with their PIN', async () => {
    const before = await onHand(milk.sku);
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    try {
      const phone = await phoneContext.newPage();
      await phone.goto(`${host.url}/#count`);
      await phone.getByTestId('pin-input').waitFor();
      await typePin(phone, '1234');
      // A reload keeps the phone's session: no PIN again.
      await phone.getByTestId('count-mode-waste').waitFor();
      await phone.reload();
      await phone.getByTestId('count-mode-waste').waitFor();
      expect(await phone.getByTestId('pin-input').count()).toBe(0);
      await phone.getByTestId('count-mode-waste').tap();
      await phone.getByTestId('search-input').tap();
      await phone.keyboard.type(milk.ean13!, { delay: 20 });
      await phone.getByTestId('search-result').first().waitFor();
      await phone.keyboard.press('Enter');
      await phone.locator(`[data-testid="ws-on-hand"][data-on-hand="${before}"]`).waitFor();
      await phone.getByTestId('ws-amount').focus();
      await phone.keyboard.type('6', { delay: 20 });
      // 6 × ¥9.50 = ¥57.00 at cost, above the default ¥50 limit.
      await expect.poll(() => phone.getByTestId('ws-value').getAttribute('data-value')).toBe('5700');
      await phone.getByTestId('ws-reason-spoiled').tap();
      await phone.getByTestId('ws-submit').tap();
      await phone.getByTestId('manager-dialog').waitFor();
      await phone.getByTestId('manager-pin-input').focus();
      await phone.keyboard.type('8888', { delay: 20 });
      await phone.keyboard.press('Enter');
      await phone.getByTestId('ws-recent-row').waitFor({ timeout: 20_000 });
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await phoneContext.close();
    }
    expect(await onHand(milk.sku)).toBe(before - 6);
    const { entries } = await rpc<{
      entries: {
        action: string;
        staff: { id: string } | null;
        approvedBy: { id: string } | null;
        detail: Record<string, unknown>;
      }[];
    }>('audit.list', {}, manager);
    const w = entries.find((e) => e.action === 'stock.waste' && e.detail['reason'] === 'spoiled');
    expect(w).toMatchObject({
      staff: { id: 'staff-li-na' },
      approvedBy: { id: 'staff-zhang-min' },
      detail: { sku: milk.sku, quantity: 6, cost: 5700 },
    });
  }, 120_000);
});
