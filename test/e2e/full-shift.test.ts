// The whole shift as one script (issue 13 "Done when"): in Chromium at 1024×768, keys only,
// first in zh-CN and then in English (F11): login, float, 30 sales with wedge scans, weighed
// items from the scale emulator and from a scale label, a split payment (cash + card with F4),
// a return refunded in cash (refund slip printed, drawer kicked), a void, a no-sale, a cashier
// change, the X report and the Z close with counted cash. The Z report's figures must equal the
// sum of what the script did. Each step leaves a screenshot in test-results/full-shift/<lang>/
// (the CI artefact folder) for a person to look at. The API is used only to set up the scale and
// the wedge window (a technician's job, not the cashier's) and never to act in the shift.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoProducts } from '../../app/core';
import { startWebHost } from '../../app/host';
import { createPtyPair, ScaleEmulator, type PtyPair } from '../../drivers';
import { launchChromium, newTillPage, scanIntoCart, typePin, wedgeScan, widenWedgeWindow } from './till-page';

type Host = Awaited<ReturnType<typeof startWebHost>>;
type Lang = 'zh-CN' | 'en';
const each = demoProducts().filter((p) => p.ean13 && p.unit === 'each');
const loose = demoProducts().filter((p) => p.unit === 'weighed' && p.plu);
const toFen = (s: string | null) => Math.round(Number((s ?? '').replace(/[^0-9.-]/g, '')) * 100);
// The wedge window, widened further than the other e2e tests' 100 ms: this script types ~150
// scans, and on the shared machine under load a burst's keys arrived more than 100 ms apart
// on average (a 13-digit scan split into typed digits). A store with a slow scanner does the same.
const WEDGE_MS = 200;
// Keys a person types. Shorter than the wedge's minLength (4) they are never a scan; longer
// ones (an approval code, the counted cash) go slower than two wedge windows a key, so the
// detector calls them typing after three keys.
const HUMAN = { delay: 160 };
const HUMAN_LONG = { delay: 2 * WEDGE_MS + 50 };
const FLOAT = 50000;
const SALES = 30;
/** GS1 mod-10 check (weights 3,1,3,… from the right) appended to any number of digits. */
const withCheck = (d: string) =>
  d + String((10 - ([...d].reverse().reduce((s, c, i) => s + Number(c) * (i % 2 ? 1 : 3), 0) % 10)) % 10);

let browser: Browser;
let pty: PtyPair;
let scale: ScaleEmulator;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pty = await createPtyPair();
  scale = new ScaleEmulator(pty.a);
  await scale.open();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await browser?.close();
  await scale?.close();
  await pty?.close();
});

async function openHost(): Promise<{ host: Host; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-shift-'));
  const host = await startWebHost({
    port: 0,
    dataDir,
    seedDemo: true,
    devices: 'emulated',
    logger: pino({ level: 'silent' }),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  closers.push(close);
  await widenWedgeWindow(host.url, '7777', WEDGE_MS);
  // The technician's set-up: the scale on the PTY the emulator answers on. The next language's
  // host opens the same port, so each host is closed when its shift is done.
  const login = await host.core.call('auth.login', { pin: '7777' }, {});
  if (!login.ok) throw new Error(login.error.message);
  const token = { token: login.token };
  const r = await host.core.call(
    'devices.configure',
    { deviceId: 'scale', kind: 'scale', uri: `serial:${pty.b}?baud=9600` },
    token,
  );
  if (!r.ok) throw new Error(r.error.message);
  await expect
    .poll(
      async () => {
        const list = await host.core.call('devices.list', {}, token);
        return list.ok ? list.devices.find((d) => d.id === 'scale')?.status : list.error.code;
      },
      { timeout: 15_000 },
    )
    .toBe('ok');
  await host.core.call('auth.logout', {}, token);
  return { host, close };
}

/** What the script did, summed as it went; the Z report must say the same. */
interface Tally {
  sales: number;
  salesTotal: number;
  cash: number;
  card: number;
  returns: number;
  returnsTotal: number;
  cashRefunds: number;
}

async function shiftRun(lang: Lang): Promise<{ ms: number; tally: Tally }> {
  const started = Date.now();
  const { host, close } = await openHost();
  const dir = join('test-results', 'full-shift', lang);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const page: Page = await newTillPage(browser, host.url);
  try {
    return await shiftSteps(host, page, lang, dir, started);
  } catch (err) {
    // Where it stopped, for the person reading the CI artefacts.
    await page.screenshot({ path: join(dir, 'failed.png') }).catch(() => undefined);
    throw err;
  } finally {
    await page.close();
    await close();
  }
}

async function shiftSteps(
  host: Host,
  page: Page,
  lang: Lang,
  dir: string,
  started: number,
): Promise<{ ms: number; tally: Tally }> {
  const emulator = host.till.emulator!;
  let step = 0;
  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({ path: join(dir, `${String(step).padStart(2, '0')}-${name}.png`) });
  };
  const tally: Tally = { sales: 0, salesTotal: 0, cash: 0, card: 0, returns: 0, returnsTotal: 0, cashRefunds: 0 };
  const managerPin = async () => {
    const dialog = page.getByTestId('manager-dialog');
    // The prompt names the manager (the first preselected) and has the PIN field focused.
    await page.getByTestId('manager-pin-input').waitFor();
    await page.keyboard.type('8888', HUMAN);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
  };
  // A preset reason from the store's list, picked by its digit (item 15).
  const reason = async (digit: string) => {
    await page.getByTestId('reason-list').waitFor();
    await page.keyboard.press(digit);
  };
  const login = async (pin: string) => {
    await typePin(page, pin);
    await page.getByTestId('status-shift').waitFor();
  };
  // The cashier change by keys: Tab to 退出 / Log out and Enter.
  const logout = async () => {
    for (let i = 0; i < 80; i += 1) {
      const on = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
      if (on === 'logout-button') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByTestId('pin-input').waitFor();
  };
  const sold: { number: string; cash: boolean }[] = [];
  // One customer: the goods, then F12 and cash (exact on Enter, or a note with change).
  const sale = async (i: number) => {
    await scanIntoCart(page, each[i % each.length]!.ean13!);
    await scanIntoCart(page, each[(i * 7 + 3) % each.length]!.ean13!);
    if (i % 10 === 5) {
      // A loose item from the search, weighed on the scale.
      const p = loose[i % loose.length]!;
      scale.setWeight(500 + i * 10);
      await page.keyboard.press('F2');
      await page.keyboard.insertText(p.name);
      await page.locator(`[data-testid="search-result"][data-sku="${p.sku}"]`).waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`[data-testid="weigh-grams"][data-grams="${500 + i * 10}"]`).waitFor({ timeout: 15_000 });
      if (i === 5) await shot('weighing');
      await page.keyboard.press('Enter');
      await page.locator(`[data-testid="cart-line"][data-sku="${p.sku}"]`).waitFor();
    }
    if (i % 10 === 8) {
      // The deli scale's label: weight and price in the barcode.
      const p = loose[(i + 1) % loose.length]!;
      const grams = 300 + i;
      const amount = String(Math.round((grams * p.price) / 1000)).padStart(5, '0');
      await scanIntoCart(page, withCheck(`26${p.plu}${amount}${String(grams).padStart(5, '0')}`));
    }
    const total = toFen(await page.getByTestId('cart-total').textContent());
    if (i === 0) await shot('first-sale-cart');
    await page.keyboard.press('F12');
    await page.getByTestId('tender-cash-input').waitFor();
    let tendered: number | null = null;
    if (i === 12) {
      // The split payment: ¥10 cash and Enter, F2 card for the rest, approval code, F4, Enter.
      await page.keyboard.type('10', HUMAN);
      await page.keyboard.press('Enter');
      await page.getByTestId('pay-note').waitFor();
      await page.keyboard.press('F2');
      await page.getByTestId('tender-card-ref').waitFor();
      await page.keyboard.type('AP12', HUMAN_LONG);
      await page.keyboard.press('F4');
      await expect.poll(() => page.getByTestId('tender-item').count()).toBe(2);
      // Paid in full: the note says Enter completes it (it used to say "还差 ¥0.00" and list F1–F4).
      expect(await page.getByTestId('pay-note').textContent()).toMatch(lang === 'en' ? /paid in full/ : /已付清/);
      await shot('split-payment');
      await page.keyboard.press('Enter');
    } else if (i % 2 === 1) {
      tendered = Math.ceil((total + 1) / 5000) * 5000;
      await page.keyboard.type(String(tendered / 100), HUMAN);
      await page.keyboard.press('Enter');
    } else await page.keyboard.press('Enter');
    await page.getByTestId('receipt-dialog').waitFor();
    const paid = toFen(await page.getByTestId('paid-total').textContent());
    if (tendered !== null) expect(toFen(await page.getByTestId('change-amount').textContent())).toBe(tendered - paid);
    const number = ((await page.getByTestId('sale-number').textContent()) ?? '').match(/[A-Z0-9][-A-Z0-9]+\d/)![0];
    sold.push({ number, cash: i !== 12 });
    tally.sales += 1;
    tally.salesTotal += paid;
    if (i === 12) {
      tally.cash += 1000;
      tally.card += paid - 1000;
    } else tally.cash += paid;
    if (i === 12 || i === 1) await shot(i === 1 ? 'receipt-with-change' : 'split-receipt');
    await page.keyboard.press('Escape');
    await page.getByTestId('cart-empty').waitFor();
  };

  // 01 Login (the language first, on the login screen), 02 open the shift with the float.
  if (lang === 'en') {
    await page.keyboard.press('F11');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  }
  await shot('login');
  await typePin(page, '1234');
  const floatInput = page.getByTestId('shift-float-input');
  await floatInput.waitFor();
  await page.keyboard.type(String(FLOAT / 100), HUMAN);
  await shot('float');
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-open-dialog').waitFor({ state: 'detached' });
  await page.locator('[data-testid="status-shift"][data-open="true"]').waitFor();
  await page.getByTestId('cart').waitFor();

  // The first cashier's 20 customers.
  for (let i = 0; i < 20; i += 1) await sale(i);

  // A return of sale 2 (cash), whole first line: F3, scan the receipt, Space ticks the line,
  // the reason, Enter, the manager's PIN; the refund slip prints and the drawer opens.
  const kicksBefore = emulator.drawerKicks;
  const slip = new Promise<string>((resolve) => {
    const on = (r: { text: string }) => {
      if (r.text.includes(sold[2]!.number) && /退款单|REFUND/.test(r.text)) {
        emulator.off('receipt', on);
        resolve(r.text);
      }
    };
    emulator.on('receipt', on);
  });
  await page.keyboard.press('F3');
  await page.getByTestId('returns-code-input').waitFor();
  await wedgeScan(page, sold[2]!.number);
  await page.getByTestId('return-sale').waitFor();
  const check = page.getByTestId('return-line-check').first();
  for (let i = 0; i < 10 && !(await check.evaluate((el) => el === document.activeElement)); i += 1)
    await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  expect(await check.isChecked()).toBe(true);
  for (let i = 0; i < 10; i += 1) {
    const on = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid);
    if (on === 'return-reason') break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.insertText(lang === 'en' ? 'bruised' : '商品有损坏');
  await shot('return-picked');
  await page.keyboard.press('Enter');
  await managerPin();
  await page.getByTestId('return-result').waitFor();
  const refunded = toFen(await page.getByTestId('return-amount').textContent());
  expect(refunded).toBeGreaterThan(0);
  expect(await page.getByTestId('return-tender').count()).toBe(1);
  expect(await page.getByTestId('return-tender').textContent()).toMatch(lang === 'en' ? /Cash/ : /现金/);
  tally.returns += 1;
  tally.returnsTotal += refunded;
  tally.cashRefunds += refunded;
  const slipText = await slip;
  expect(slipText).toContain((refunded / 100).toFixed(2));
  await expect.poll(() => emulator.drawerKicks).toBe(kicksBefore + 1);
  await shot('return-refunded');
  await page.keyboard.press('Escape');
  await page.getByTestId('cart').waitFor();

  // A void: two items scanned, F9, the reason, the manager's PIN; the cart is empty and nothing sold.
  await scanIntoCart(page, each[1]!.ean13!);
  await scanIntoCart(page, each[2]!.ean13!);
  await page.keyboard.press('F9');
  await reason('1'); // 顾客不要了 / Customer changed their mind
  await managerPin();
  await page.getByTestId('cart-empty').waitFor();
  await shot('voided');

  // A no-sale: Alt+O, the reason, the manager's PIN, and the drawer opens.
  const kicks = emulator.drawerKicks;
  await page.keyboard.press('Alt+o');
  await reason('1'); // 兑换零钱 / Change for a customer
  await managerPin();
  await expect.poll(() => emulator.drawerKicks).toBe(kicks + 1);
  await page.getByTestId('info-banner').waitFor();
  // With the banner up, Pay (F12) is still whole above the status bar (it used to slip under it).
  const payFits = await page.getByTestId('pay-button').evaluate((el) => {
    const main = document.querySelector('main')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.top >= main.top && r.bottom <= main.bottom;
  });
  expect(payFits).toBe(true);
  await shot('no-sale');

  // The cashier change (交接班, item 16): the first cashier logs out, the second logs in and is
  // asked to take over the open shift; the first types her PIN in the handover dialog.
  await logout();
  await login('2345');
  const handover = page.getByTestId('handover-dialog');
  await handover.waitFor();
  await shot('cashier-change');
  await page.keyboard.type('1234', HUMAN);
  await page.keyboard.press('Enter');
  await handover.waitFor({ state: 'detached' });
  await page.getByTestId('cart').waitFor();
  expect(await page.getByTestId('status-shift').getAttribute('data-open')).toBe('true');
  for (let i = 20; i < SALES; i += 1) await sale(i);
  await shot('second-cashier-done');

  // X report by the manager: F10, F8.
  await logout();
  await login('8888');
  await page.keyboard.press('F10');
  await page.getByTestId('shift-info').waitFor();
  await page.keyboard.press('F8');
  await page.locator('[data-testid="report-view"][data-kind="X"]').waitFor();
  await shot('x-report');
  const expected = FLOAT + tally.cash - tally.cashRefunds;
  const check1 = async () => {
    expect(await page.getByTestId('report-sales').textContent()).toMatch(new RegExp(`^${tally.sales} · `));
    expect(toFen((await page.getByTestId('report-sales').textContent())!.split('·')[1]!)).toBe(tally.salesTotal);
    expect(await page.getByTestId('report-returns').textContent()).toMatch(new RegExp(`^${tally.returns} · `));
    expect(toFen((await page.getByTestId('report-returns').textContent())!.split('·')[1]!)).toBe(tally.returnsTotal);
    expect(toFen(await page.getByTestId('report-tender-card').textContent())).toBe(tally.card);
    // Cash by tender is net: what came in for sales less what went back as refunds.
    expect(toFen(await page.getByTestId('report-tender-cash').textContent())).toBe(tally.cash - tally.cashRefunds);
    expect(toFen(await page.getByTestId('report-float').textContent())).toBe(FLOAT);
    expect(toFen(await page.getByTestId('report-expected').textContent())).toBe(expected);
  };
  await check1();

  // Z close with the counted cash, ¥1 short: F9 to the count, digits, Enter.
  const counted = expected - 100;
  await page.keyboard.press('F9');
  await page.keyboard.type((counted / 100).toFixed(2), HUMAN_LONG);
  await shot('z-counted');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="report-view"][data-kind="Z"]').waitFor();
  await check1();
  expect(toFen(await page.getByTestId('report-counted').textContent())).toBe(counted);
  expect(toFen(await page.getByTestId('report-over-short').textContent())).toBe(-100);
  await shot('z-report');
  expect(tally.sales).toBe(SALES);
  return { ms: Date.now() - started, tally };
}

describe('a whole shift at 1024×768 by keyboard (issue 13)', () => {
  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: login to Z close, and the Z report adds up to what was done`, async () => {
      const { ms, tally } = await shiftRun(lang);
      console.log(JSON.stringify({ lang, shiftMs: ms, ...tally }));
    }, 600_000);
  }
});
