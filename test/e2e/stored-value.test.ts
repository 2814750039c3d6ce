// Stored value (储值) at the till in Chromium, keyboard only: the cashier finds the member by
// phone (Alt+M), tops up ¥200 in cash with a member PIN (Alt+T; 充200送50 adds ¥50 bonus), the
// panel shows ¥250.00; the customer buys, the payment dialog offers 储值 (F5), the member types
// the PIN and the sale is paid from the balance; the receipt prints the balance left, and the
// back office's liability counts the rest as principal and bonus.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startWebHost } from '../../app/host';
import { demoProducts } from '../../app/core';
import { launchChromium, loginToTill, newTillPage, scanIntoCart, widenWedgeWindow } from './till-page';

const PHONE = '13855556666';
const item = demoProducts().find((p) => p.ean13 && p.unit === 'each' && p.price >= 1000 && p.price < 5000)!;

type Host = Awaited<ReturnType<typeof startWebHost>>;
let host: Host;
let browser: Browser;
let page: Page;
const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-stored-value-'));

async function call(method: string, input: unknown, token?: string): Promise<any> {
  const r = await fetch(`${host.url}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as Record<string, any>;
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body;
}

beforeAll(async () => {
  host = await startWebHost({ port: 0, dataDir, seedDemo: true, logger: pino({ level: 'silent' }) });
  await widenWedgeWindow(host.url);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stored value at the till (Chromium)', () => {
  it('tops up from the member panel and pays a sale from the balance with the member PIN', async () => {
    const { token } = await call('auth.login', { pin: '1234' });
    const { member } = await call(
      'members.signUp',
      { phone: PHONE, name: '陈小红', consent: { marketing: false, channel: 'till', textVersion: 'v1' } },
      token,
    );

    page = await newTillPage(browser, host.url);
    await loginToTill(page, '1234');
    await page.getByTestId('member-panel-empty').waitFor();
    await page.keyboard.type(PHONE, { delay: 20 });
    await page.keyboard.press('Alt+m');
    await page.getByTestId('member-panel').waitFor();

    await page.keyboard.press('Alt+t');
    await page.getByTestId('topup-dialog').waitFor();
    await page.getByTestId('topup-amount').fill('200');
    await page.getByTestId('topup-pin').fill('135790');
    const topped = page.waitForResponse((r) => r.url().endsWith('/api/members.topUp'));
    await page.keyboard.press('Enter');
    expect(((await (await topped).json()) as { ok: boolean; bonus: number }).bonus).toBe(5000);
    await page.getByTestId('topup-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="member-stored-value"][data-balance="25000"]').waitFor();
    expect(await page.getByTestId('info-banner').textContent()).toContain('250.00');

    await scanIntoCart(page, item.ean13!);
    await page.keyboard.press('F12');
    await page.getByTestId('pay-dialog').waitFor();
    await page.keyboard.press('F5');
    await page.getByTestId('pay-sv-balance').waitFor();
    expect(await page.getByTestId('tender-amount-input').inputValue()).toBe((item.price / 100).toFixed(2));
    await page.getByTestId('tender-member-pin').fill('135790');
    const paid = page.waitForResponse((r) => r.url().endsWith('/api/cart.pay'));
    await page.keyboard.press('Enter');
    const result = (await (await paid).json()) as { ok: boolean; tenders: { type: string; amount: number }[] };
    expect(result.ok).toBe(true);
    expect(result.tenders).toEqual([expect.objectContaining({ type: 'stored_value', amount: item.price })]);
    await page.getByTestId('receipt-dialog').waitFor();
    const receipt = (await page.getByTestId('receipt-preview').textContent()) ?? '';
    expect(receipt).toContain('储值余额');
    expect(receipt).toContain(((25_000 - item.price) / 100).toFixed(2));
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt-dialog').waitFor({ state: 'detached' });

    const manager = (await call('auth.login', { pin: '8888' })).token;
    const { report } = await call('storedValue.report', {}, manager);
    expect(report.principal + report.bonus).toBe(25_000 - item.price);
    expect(report.members).toBe(1);
    expect((await call('members.storedValue', { memberId: member.id }, token)).balance.balance).toBe(
      25_000 - item.price,
    );
  }, 120_000);
});
