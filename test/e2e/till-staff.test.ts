// Issue 13, the staff part (items 14–17), in Chromium at 1024×768 with the keys a cashier and a
// manager press, against a real web host (real SQLite, emulated printer with its drawer kick).
// Set-up nobody would do by hand at the till (a manager's own reason list) goes through the core.
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
  scanIntoCart,
  typePin,
  wedgeScan,
  widenWedgeWindow,
} from './till-page';

type Host = Awaited<ReturnType<typeof startWebHost>>;
let host: Host;
let dataDir: string;
let browser: Browser;
const pages: Page[] = [];
const items = demoProducts()
  .filter((p) => p.ean13 && p.unit === 'each')
  .slice(3, 6);
const fen = (n: number) => `¥${(n / 100).toFixed(2)}`;

async function openPage(): Promise<Page> {
  const p = await newTillPage(browser, host.url);
  pages.push(p);
  return p;
}

const shot = (p: Page, name: string) => p.screenshot({ path: `test-results/till-staff-${name}.png` });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-staff-'));
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
  for (const p of pages.splice(0)) await p.close();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('issue 13, staff part, keys only', () => {
  it('item 15: void and no-sale reasons are picked by digit from the store list, or typed after 0; the manager is named', async () => {
    const page = await openPage();
    await loginToTill(page, '1234');
    await scanIntoCart(page, items[0]!.ean13!);
    await page.keyboard.press('F9');
    const list = page.getByTestId('reason-list');
    await list.waitFor();
    // The store's presets, numbered, and 0 = other.
    expect(await page.getByTestId('reason-preset').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('reason-other').textContent()).toContain('0.');
    await shot(page, 'void-reasons');
    await page.keyboard.press('2');
    // The manager prompt names the manager (preselected; ↑↓ would change it) and takes the PIN.
    await page.getByTestId('manager-pin-input').waitFor();
    const picked = page.locator('[data-testid^="manager-pick-"].on');
    expect(await picked.textContent()).toBe('张敏');
    await page.keyboard.type('8888', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-empty').waitFor();

    // No sale: ↓ to "other" (after the presets), Enter, type the reason, Enter, manager PIN.
    const kicks = host.till.emulator!.drawerKicks;
    await page.keyboard.press('Alt+o');
    await list.waitFor();
    const presets = await page.getByTestId('reason-preset').count();
    for (let i = 0; i < presets; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('reason-other').getAttribute('class')).toBe('on');
    await page.keyboard.press('Enter');
    await page.getByTestId('reason-text').waitFor();
    await page.keyboard.type('隔壁摊位换零钱', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-pin-input').waitFor();
    await page.keyboard.type('8888', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.getByTestId('manager-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => host.till.emulator!.drawerKicks, { timeout: 10_000 }).toBe(kicks + 1);

    const entries = await asStaff(host.core, '8888', async (call) => (await call('audit.list', { limit: 50 })).entries);
    expect(entries.find((e) => e.action === 'cart.void')?.detail).toMatchObject({
      reason: '扫错商品',
      reasonCode: 'scan-error',
    });
    expect(entries.find((e) => e.action === 'drawer.open')?.detail).toMatchObject({ reason: '隔壁摊位换零钱' });

    // A manager's own list replaces the presets at the till.
    await asStaff(host.core, '8888', (call) =>
      call('config.set', {
        patch: {
          reasons: {
            void: [{ code: 'spilled', zh: '商品洒了', en: 'Spilled' }],
            noSale: [{ code: 'give-change', zh: '兑换零钱', en: 'Change for a customer' }],
          },
        },
      }),
    );
    const page2 = await openPage();
    await loginToTill(page2, '1234');
    await scanIntoCart(page2, items[1]!.ean13!);
    await page2.keyboard.press('F9');
    await page2.getByTestId('reason-list').waitFor();
    expect(await page2.getByTestId('reason-preset').allTextContents()).toEqual(['1. 商品洒了']);
    await page2.keyboard.press('Escape');
    await page2.getByTestId('void-dialog').waitFor({ state: 'detached' });
  });

  it('item 14: the audit list says who, what, when, yuan and the reason in words, raw detail behind Alt+D, in both languages', async () => {
    const page = await openPage();
    await typePin(page, '8888');
    await page.getByTestId('nav-backoffice').waitFor();
    await page.keyboard.press('Alt+b');
    await page.getByTestId('bo-tab-audit').waitFor();
    await page.keyboard.press('F8');
    const row = page.locator('[data-testid="audit-row"][data-action="cart.void"]').first();
    await row.waitFor();
    expect(await row.getByTestId('audit-who').textContent()).toBe('李娜 （张敏 授权）');
    expect(await row.getByTestId('audit-what').textContent()).toBe('作废整单');
    const voided = await asStaff(
      host.core,
      '8888',
      async (call) => (await call('audit.list', { action: 'cart.void' })).entries,
    );
    expect(await row.getByTestId('audit-amount').textContent()).toBe(fen(voided[0]!.detail.total as number));
    // The reason in the store's words (from its preset code, now gone from the list: the words kept).
    expect(await row.getByTestId('audit-reason').textContent()).toBe('扫错商品');
    const drawer = page.locator('[data-testid="audit-row"][data-action="drawer.open"]').first();
    expect(await drawer.getByTestId('audit-what').textContent()).toBe('开钱箱（无销售）');
    expect(await drawer.getByTestId('audit-reason').textContent()).toBe('隔壁摊位换零钱');
    // No ids, JSON or fen on the face of the list.
    const listText = (await page.getByTestId('audit-list').textContent()) ?? '';
    expect(listText).not.toMatch(/[{}"]|cartId|[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(await page.getByTestId('audit-raw').count()).toBe(0);
    await shot(page, 'audit-zh');
    await page.keyboard.press('Alt+d');
    await row.getByTestId('audit-raw').waitFor();
    expect(await row.getByTestId('audit-raw').textContent()).toContain('"reasonCode":"scan-error"');
    await page.keyboard.press('Alt+d');
    await row.getByTestId('audit-raw').waitFor({ state: 'detached' });
    // English: the same entry in English words.
    await page.keyboard.press('F11');
    await expect.poll(() => row.getByTestId('audit-what').textContent(), { timeout: 5_000 }).toBe('Voided a sale');
    expect(await row.getByTestId('audit-who').textContent()).toBe('李娜 (approved by 张敏)');
    const login = page.locator('[data-testid="audit-row"][data-action="auth.login"]').first();
    expect(await login.getByTestId('audit-what').textContent()).toBe('Logged in');
    await shot(page, 'audit-en');
    await page.keyboard.press('F11');
  });

  it('item 16: a second cashier sees whose shift and sale these are, and takes them over only by a cashier change', async () => {
    // Li is mid-sale when she leaves.
    const li = await openPage();
    await loginToTill(li, '1234');
    await scanIntoCart(li, items[2]!.ean13!);
    await li.close();

    const page = await openPage();
    await typePin(page, '2345');
    const dialog = page.getByTestId('handover-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('李娜 的班次仍在进行');
    await shot(page, 'handover-prompt');
    // Not now: Esc. The open sale says whose it is, and scanning into it is refused.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('cart-owner').textContent()).toBe('收银员：李娜');
    const linesBefore = await page.getByTestId('cart-line').count();
    await wedgeScan(page, items[0]!.ean13!);
    const err = page.getByTestId('error-banner');
    await err.waitFor();
    expect(await err.getAttribute('data-code')).toBe('CONFLICT');
    expect(await page.getByTestId('error-message').textContent()).toContain('李娜');
    expect(await page.getByTestId('cart-line').count()).toBe(linesBefore);
    await page.keyboard.press('Escape');

    // F10: the Shift screen says whose shift it is; F9 opens the cashier change; Li types her PIN.
    await page.keyboard.press('F10');
    await page.getByTestId('shift-not-yours').waitFor();
    await page.keyboard.press('F9');
    await dialog.waitFor();
    await page.keyboard.type('1234', { delay: 20 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('shift-not-yours').waitFor({ state: 'detached' });
    expect(await page.getByTestId('shift-info').textContent()).toContain('王伟');

    // Back at the till: a fresh sale; Li's is parked under her name and recalled on purpose.
    await page.keyboard.press('Escape');
    await page.getByTestId('cart-empty').waitFor();
    await page.keyboard.press('F8');
    await page.getByTestId('recall-dialog').waitFor();
    expect(await page.getByTestId('parked-cashier').first().textContent()).toBe('李娜 挂单');
    await shot(page, 'handover-recall');
    await page.keyboard.press('1');
    await page.getByTestId('cart-line').first().waitFor();
    expect(await page.getByTestId('cart-owner').textContent()).toBe('收银员：王伟');
    await scanIntoCart(page, items[0]!.ean13!);
    expect(await page.getByTestId('cart-line').count()).toBeGreaterThan(linesBefore);

    const { shift, audit } = await asStaff(host.core, '8888', async (call) => ({
      shift: (await call('shift.current', {})).shift,
      audit: (await call('audit.list', { action: 'shift' })).entries,
    }));
    expect(shift?.cashier.name).toBe('王伟');
    expect(audit.find((e) => e.action === 'shift.handover')).toMatchObject({
      staff: { name: '王伟' },
      approvedBy: { name: '李娜' },
    });
  });

  it('item 17: five wrong PINs lock that staff member only; the manager picks their name and logs in', async () => {
    const page = await openPage();
    const names = page.getByTestId('login-names');
    await names.waitFor();
    await page.getByTestId('pin-input').focus();
    // ↓↓: 王伟 (the list: by PIN, 李娜, 王伟, 张敏, 陈工).
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('[data-testid="login-name"].on').textContent()).toBe('王伟');
    const error = page.getByTestId('login-error');
    for (let i = 0; i < 5; i++) {
      await page.keyboard.type('9999', { delay: 20 });
      await page.keyboard.press('Enter');
      await error.waitFor();
      if (i < 4) expect(await error.getAttribute('data-code')).toBe('WRONG_PIN');
    }
    expect(await error.getAttribute('data-code')).toBe('LOCKED_OUT');
    // Even his right PIN waits out the lock.
    await page.keyboard.type('2345', { delay: 20 });
    await page.keyboard.press('Enter');
    await expect.poll(() => error.getAttribute('data-code')).toBe('LOCKED_OUT');
    await shot(page, 'login-locked');
    // The manager is not locked: ↓ to her name, her PIN.
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('[data-testid="login-name"].on').textContent()).toBe('张敏');
    await page.keyboard.type('8888', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.getByTestId('nav-backoffice').waitFor();
    // And a cashier by PIN alone is not locked either (PIN-only entry has its own counter).
    expect((await host.core.call('auth.login', { pin: '1234' }, {})).ok).toBe(true);
  });
});
