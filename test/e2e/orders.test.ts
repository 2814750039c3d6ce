// Online orders in Chromium (issue 16): a real cloud (PGlite or a throwaway Postgres schema), a
// store hub and a web-mode till syncing through it, a scale emulator on a real PTY pair. An order
// posted to the cloud's API appears on the till's Orders screen; the picker works it by keyboard:
// each item scanned (a wrong item is refused with words, nothing recorded), the weighed line put
// on the scale (F4), an out-of-stock line substituted by a scanned product (F8), ready (F9). The
// mall's feed tells the customer about the substitute and the refund. The customer's pickup code
// typed at the counter hands it over (the hub claims it), and the cloud shows it collected with
// the settled amount. A loose item's scale label picks its weighed line at the label's weight,
// and a weighed line substituted by another loose product is weighed on the scale. The manager
// sees the refunds owed to customers in the back office (Alt+B, Alt+R), retries one the gateway
// declined (R) and marks one paid by hand with a note (M); the cloud shows both paid. A second
// page on a phone-sized viewport shows the same queue in one column.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { gs1CheckDigit } from '../../app/core/barcode';
import { startWebHost } from '../../app/host';
import { createPtyPair, ScaleEmulator, type PtyPair } from '../../drivers';
import { startCloud, startSyncHub, DEMO_ENROLL_CODE, type CloudHandle, type SyncHub } from '../../sync';
import { cloudDb, dropCloudSchema, postJson } from '../sync/helpers';
import { launchChromium, loginToTill, newTillPage, wedgeScan, widenWedgeWindow } from './till-page';

const ADMIN = 'e2e-orders-admin-0123';
const STORE = 'S001';
const products = demoProducts();
const counted = products.filter((p) => p.unit === 'each' && p.ean13);
const apples = counted[0]!; // ordered ×2, scanned item by item
const grapes = counted[3]!; // ordered ×1, out of stock: substituted
const kiwi = counted[5]!; // the substitute
const wrong = counted[1]!; // not on the order
const bananas = products.find((p) => p.unit === 'weighed')!;
const looseApples = products.filter((p) => p.unit === 'weighed')[1]!;
const looseGrapes = products.filter((p) => p.unit === 'weighed')[6]!;
const byWeight = (pricePerKg: number, grams: number) => Math.round((pricePerKg * grams) / 1000);
/** The label a Chinese label scale prints by default: 21 + PLU + amount in fen + EAN check (no weight). */
const amountLabel = (plu: string, fen: number) => {
  const body = `21${plu}${String(fen).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};

type Host = Awaited<ReturnType<typeof startWebHost>>;
let cloud: CloudHandle;
let hub: SyncHub;
let host: Host;
let browser: Browser;
let page: Page;
let pty: PtyPair;
let scale: ScaleEmulator;
let schema = '';
const dirs: string[] = [];
const temp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
const cloudGet = async (path: string): Promise<any> =>
  (await fetch(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
const line = (id: string) => page.locator(`[data-testid="order-line"][data-line="${id}"]`);
/** The cloud's view of an order once a line's pick has reached it. */
const cloudGetWhenPicked = async (orderId: string, lineId: string): Promise<unknown> => {
  let order: any = null;
  await expect
    .poll(
      async () => {
        order = await cloudGet(`/api/orders/${orderId}`);
        return order.lines?.find((l: any) => l.lineId === lineId)?.picked?.grams ?? null;
      },
      { timeout: 30_000, interval: 300 },
    )
    .not.toBeNull();
  return order;
};

beforeAll(async () => {
  const db = cloudDb('e2eorders');
  schema = db.schema;
  cloud = await startCloud({
    ...db,
    demo: true,
    demoStoreId: STORE,
    adminToken: ADMIN,
    log: pino({ level: 'silent' }),
  });
  hub = await startSyncHub({
    port: 0,
    dataDir: temp('pos-e2e-orders-hub-'),
    cloudUrl: cloud.url,
    enrollCode: DEMO_ENROLL_CODE,
    storeId: STORE,
    intervalMs: 300,
    maxBackoffMs: 1000,
    log: pino({ level: 'silent' }),
  });
  pty = await createPtyPair();
  scale = new ScaleEmulator(pty.a);
  await scale.open();
  host = await startWebHost({
    port: 0,
    dataDir: temp('pos-e2e-orders-till-'),
    seedDemo: true,
    storeId: STORE,
    devices: 'emulated',
    scale: `serial:${pty.b}?baud=9600`,
    logger: pino({ level: 'silent' }),
    sync: { hubUrl: hub.url, cloudUrl: cloud.url, enrollCode: DEMO_ENROLL_CODE, intervalMs: 300, maxBackoffMs: 1000 },
  });
  // A wider window than the other e2e tests: this file shares the machine with a cloud, a hub and a
  // scale emulator, and a scan split by a slow key would be typed text, not a scan.
  await widenWedgeWindow(host.url, '7777', 200);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await hub?.close();
  await cloud?.close().catch(() => {});
  await scale?.close();
  await pty?.close();
  await dropCloudSchema(schema);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('online orders at the till (Chromium)', () => {
  it('an order from the cloud is picked by keyboard (scan per item, scale, substitute), made ready, and collected by its code', async () => {
    const bananaAmount = Math.round((bananas.price * 500) / 1000);
    const paid = 2 * apples.price + bananaAmount + grapes.price;
    const slot = {
      start: new Date(Date.now() + 3600_000).toISOString(),
      end: new Date(Date.now() + 7200_000).toISOString(),
    };
    const posted = await postJson(
      `${cloud.url}/api/orders`,
      {
        orderId: 'e2e-1',
        storeId: STORE,
        customer: { name: '王小丽' },
        slot,
        paid,
        paymentRef: 'wx-e2e-1',
        lines: [
          {
            lineId: 'a',
            sku: apples.sku,
            name: apples.name,
            quantity: 2,
            unitPrice: apples.price,
            amount: 2 * apples.price,
            category: 'fruit',
          },
          {
            lineId: 'b',
            sku: bananas.sku,
            name: bananas.name,
            grams: 500,
            unitPrice: bananas.price,
            amount: bananaAmount,
            category: 'produce',
          },
          {
            lineId: 'c',
            sku: grapes.sku,
            name: grapes.name,
            quantity: 1,
            unitPrice: grapes.price,
            amount: grapes.price,
            category: 'fruit',
          },
        ],
      },
      ADMIN,
    );
    expect(posted.status).toBe(200);
    const { pickupCode } = posted.body.parts[0] as { pickupCode: string };

    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.keyboard.press('Alt+p');
    await page.getByTestId('orders-screen').waitFor();
    const row = page.locator('[data-testid="order-row"][data-order="e2e-1"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('王**');

    // ↓ chooses it, F6 accepts it.
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="order-detail"][data-order="e2e-1"]').waitFor();
    await page.keyboard.press('F6');
    await page.locator('[data-testid="order-row"][data-order="e2e-1"][data-status="accepted"]').waitFor();

    // A wrong item is refused with a clear message and nothing is recorded.
    await wedgeScan(page, wrong.ean13!);
    const banner = page.locator('[data-testid="error-banner"][data-code="ORDER_WRONG_ITEM"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(`拣错商品：${wrong.name} 不在订单 e2e-1 中，请勿装袋`);

    // Each item scanned: the line counts up, and the wrong-item error goes (it must not stay on
    // screen while the right item is bagged).
    await wedgeScan(page, apples.ean13!);
    await line('a').and(page.locator('[data-picked-qty="1"]')).waitFor();
    await page.getByTestId('error-banner').waitFor({ state: 'detached' });
    await wedgeScan(page, apples.ean13!);
    await line('a').and(page.locator('[data-picked-qty="2"]')).waitFor();
    // A third is one too many.
    await wedgeScan(page, apples.ean13!);
    await page
      .locator('[data-testid="error-banner"][data-code="ORDER_WRONG_ITEM"]', { hasText: '已拣够 2 件' })
      .waitFor();
    expect(await line('a').getAttribute('data-picked-qty')).toBe('2');

    // The weighed line goes on the scale: F4, the emulator's weight, Enter.
    scale.setWeight(480);
    await page.keyboard.press('F4');
    await page.locator('[data-testid="weigh-grams"][data-grams="480"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await line('b').and(page.locator('[data-picked-grams="480"]')).waitFor();
    const bananaSettled = Math.round((bananas.price * 480) / 1000);

    // Grapes are out: F8 substitutes the kiwi, scanned into the dialog, one of them.
    await page.keyboard.press('F8');
    const dialog = page.getByTestId('order-substitute-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[aria-selected="true"]').getAttribute('data-line')).toBe('c');
    await wedgeScan(page, kiwi.ean13!);
    await expect.poll(() => page.getByTestId('substitute-code').inputValue()).toBe(kiwi.ean13);
    await page.getByTestId('substitute-amount').focus();
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await line('c')
      .and(page.locator(`[data-substitute="${kiwi.sku}"]`))
      .waitFor();
    const kiwiSettled = Math.min(grapes.price, kiwi.price);

    // F9: ready, the bag label with the pickup QR.
    await page.keyboard.press('F9');
    await page.locator('[data-testid="order-row"][data-order="e2e-1"][data-status="ready"]').waitFor();
    const label = (await page.getByTestId('order-paper').textContent()) ?? '';
    expect(label).toContain('e2e-1');
    expect(label).toContain('王**');

    // The mall's feed tells the customer: the substitute, then ready with the changes and the refund.
    const settled = 2 * apples.price + bananaSettled + kiwiSettled;
    await expect
      .poll(
        async () => {
          const f = await cloudGet('/api/orders?since=0');
          return f.events.filter((e: any) => e.orderId === 'e2e-1');
        },
        { timeout: 30_000, interval: 300 },
      )
      .toContainEqual(expect.objectContaining({ status: 'ready', refund: paid - settled }));
    const events = (await cloudGet('/api/orders?since=0')).events.filter((e: any) => e.orderId === 'e2e-1');
    expect(events).toContainEqual(
      expect.objectContaining({ status: 'picked', lineId: 'c', substitute: { sku: kiwi.sku, name: kiwi.name } }),
    );
    const ready = events.find((e: any) => e.status === 'ready');
    expect(ready.changes).toContainEqual(
      expect.objectContaining({ lineId: 'c', change: 'substituted', refund: grapes.price - kiwiSettled }),
    );

    // Pickup at the counter: the customer's code typed into the pickup box, Enter.
    const box = page.getByTestId('pickup-code');
    await box.focus();
    await box.fill(pickupCode);
    await page.keyboard.press('Enter');
    // Waits for these words: the "packed" info from F9 may still be on screen (it stays 2.5 s).
    await expect.poll(() => page.getByTestId('info-banner').textContent()).toBe('订单 e2e-1 已交付');
    await row.waitFor({ state: 'detached' });
    // The same code again is refused: handed over exactly once.
    await box.fill(pickupCode);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="error-banner"][data-code="ORDER_ALREADY_HANDED_OVER"]').waitFor();

    await expect
      .poll(async () => (await cloudGet('/api/orders/e2e-1')).status, { timeout: 30_000, interval: 300 })
      .toBe('collected');
    const inCloud = await cloudGet('/api/orders/e2e-1');
    expect(inCloud).toMatchObject({ settledAmount: settled, refund: paid - settled });
  }, 180_000);

  it('a loose item is picked by its scale label; a weighed substitute goes on the scale', async () => {
    const paid = byWeight(bananas.price, 500) + byWeight(looseGrapes.price, 300);
    const posted = await postJson(
      `${cloud.url}/api/orders`,
      {
        orderId: 'e2e-w',
        storeId: STORE,
        customer: { name: '李雷' },
        paid,
        lines: [
          {
            lineId: 'b',
            sku: bananas.sku,
            name: bananas.name,
            grams: 500,
            unitPrice: bananas.price,
            amount: byWeight(bananas.price, 500),
          },
          {
            lineId: 'g',
            sku: looseGrapes.sku,
            name: looseGrapes.name,
            grams: 300,
            unitPrice: looseGrapes.price,
            amount: byWeight(looseGrapes.price, 300),
          },
        ],
      },
      ADMIN,
    );
    expect(posted.status).toBe(200);
    const row = page.locator('[data-testid="order-row"][data-order="e2e-w"]');
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('[data-testid="order-detail"][data-order="e2e-w"]').waitFor();

    // The deli scale weighed the bananas at 480 g and printed only the amount: the label picks the
    // line at 480 g, no scale needed at the till.
    await wedgeScan(page, amountLabel(bananas.plu!, byWeight(bananas.price, 480)));
    await line('b').and(page.locator('[data-picked-grams="480"]')).waitFor();

    // No loose grapes: loose apples instead, typed by SKU, amount left empty → the till's scale.
    scale.setWeight(350);
    await page.keyboard.press('F8');
    const dialog = page.getByTestId('order-substitute-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[aria-selected="true"]').getAttribute('data-line')).toBe('g');
    await page.getByTestId('substitute-code').fill(looseApples.sku);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="weigh-grams"][data-grams="350"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await line('g')
      .and(page.locator(`[data-substitute="${looseApples.sku}"][data-picked-grams="350"]`))
      .waitFor();
    const order = (await cloudGetWhenPicked('e2e-w', 'g')) as { lines: { lineId: string; picked: any }[] };
    expect(order.lines.find((l) => l.lineId === 'g')!.picked).toMatchObject({
      grams: 350,
      amount: Math.min(byWeight(looseGrapes.price, 300), byWeight(looseApples.price, 350)),
    });
  }, 120_000);

  it('the manager retries a declined refund and marks one paid by hand in the back office', async () => {
    const gateway = host.till.paymentGateway!;
    const price = apples.price;
    const paymentRef = gateway.recordPaidOrder('wechat', 'mall-e2e-r1', price);
    const order = (orderId: string, more: Record<string, unknown>) =>
      postJson(
        `${cloud.url}/api/orders`,
        {
          orderId,
          storeId: STORE,
          customer: { name: 'Lily' },
          paid: price,
          ...more,
          lines: [{ lineId: 'a', sku: apples.sku, quantity: 1, unitPrice: price, amount: price }],
        },
        ADMIN,
      );
    expect((await order('e2e-r1', { paymentRef, paymentWallet: 'wechat' })).status).toBe(200);
    expect((await order('e2e-r2', {})).status).toBe(200);
    // The gateway refuses refunds for now; both orders are cancelled by the mall.
    gateway.setRefundFailure('wechat', true);
    for (const id of ['e2e-r1', 'e2e-r2'])
      expect((await postJson(`${cloud.url}/api/orders/${id}/cancel`, {}, ADMIN)).status).toBe(200);

    const mgr = await newTillPage(browser, host.url);
    try {
      await loginToTill(mgr, '8888');
      await mgr.keyboard.press('Alt+b');
      await mgr.getByTestId('bo-tab-sales').waitFor();
      await mgr.keyboard.press('Alt+r');
      await mgr.getByTestId('rf-view').waitFor();
      const rf = (id: string) => mgr.locator(`[data-testid="rf-row"][data-order="${id}"]`);
      await rf('e2e-r1').and(mgr.locator('[data-status="declined"]')).waitFor({ timeout: 30_000 });
      await rf('e2e-r2').and(mgr.locator('[data-status="manual"]')).waitFor({ timeout: 30_000 });
      expect(await rf('e2e-r1').textContent()).toContain('支付平台拒绝退款');
      expect(await rf('e2e-r1').textContent()).toContain('订单取消');
      // ↑/↓ to a refund's row (the list also holds the earlier orders' refunds).
      const choose = async (id: string) => {
        const rows = mgr.locator('[data-testid="rf-row"]');
        const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-order')));
        const at = await rows.evaluateAll((els) => els.findIndex((e) => e.getAttribute('aria-selected') === 'true'));
        const want = ids.indexOf(id);
        expect(want).toBeGreaterThanOrEqual(0);
        for (let i = 0; i < Math.abs(want - at); i++) await mgr.keyboard.press(want > at ? 'ArrowDown' : 'ArrowUp');
        await rf(id).and(mgr.locator('[aria-selected="true"]')).waitFor();
      };

      // R: the gateway takes it this time; paid once, to the original payment.
      gateway.setRefundFailure('wechat', false);
      await choose('e2e-r1');
      await mgr.keyboard.press('r');
      await rf('e2e-r1').and(mgr.locator('[data-status="paid"][data-paid-by="gateway"]')).waitFor();
      expect(gateway.refundedOn(paymentRef)).toBe(price);

      // M: no wallet from the mall; the manager paid it back at the counter and says how.
      await choose('e2e-r2');
      await mgr.keyboard.press('m');
      await mgr.getByTestId('rf-paid-dialog').waitFor();
      await mgr.getByTestId('rf-note').fill('柜台现金退还');
      await mgr.keyboard.press('Enter');
      await rf('e2e-r2').and(mgr.locator('[data-status="paid"][data-paid-by="manual"]')).waitFor();
      expect(await rf('e2e-r2').textContent()).toContain('柜台现金退还');

      // The cloud (and so the mall) learns both were paid back.
      for (const id of ['e2e-r1', 'e2e-r2'])
        await expect
          .poll(async () => (await cloudGet(`/api/orders/${id}`)).refundPaid?.amount, {
            timeout: 30_000,
            interval: 300,
          })
          .toBe(price);
    } finally {
      await mgr.close();
    }
  }, 150_000);

  it('the pick queue on a phone-sized page is one column', async () => {
    await postJson(
      `${cloud.url}/api/orders`,
      {
        orderId: 'e2e-phone',
        storeId: STORE,
        customer: { name: 'Lily' },
        lines: [{ sku: apples.sku, quantity: 1, unitPrice: apples.price, amount: apples.price }],
      },
      ADMIN,
    );
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    try {
      await phone.goto(host.url);
      await phone.getByTestId('pin-input').waitFor();
      await phone.getByTestId('pin-input').focus();
      await phone.keyboard.type('1234', { delay: 20 });
      await phone.keyboard.press('Enter');
      await phone.getByTestId('status-shift').waitFor();
      await phone.keyboard.press('Alt+p');
      const row = phone.locator('[data-testid="order-row"][data-order="e2e-phone"]');
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      const queue = await phone.locator('.orders-queue').boundingBox();
      const detail = await phone.getByTestId('order-detail').boundingBox();
      expect(queue && detail).toBeTruthy();
      expect(Math.abs(queue!.x - detail!.x)).toBeLessThan(2);
      expect(detail!.y).toBeGreaterThan(queue!.y);
      expect(queue!.width).toBeLessThanOrEqual(390);
    } finally {
      await phone.close();
    }
  }, 90_000);
});
